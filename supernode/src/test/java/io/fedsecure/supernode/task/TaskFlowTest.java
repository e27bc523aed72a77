package io.fedsecure.supernode.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fedsecure.crypto.envelope.Direction;
import io.fedsecure.crypto.envelope.EnvelopeCipher;
import io.fedsecure.crypto.envelope.EnvelopeContext;
import io.fedsecure.crypto.envelope.MessageKind;
import io.fedsecure.crypto.envelope.WeightKey;
import io.fedsecure.crypto.keys.EncryptionKeyFiles;
import io.fedsecure.proto.ConfigValue;
import io.fedsecure.proto.TaskKind;
import io.fedsecure.proto.fleet.Instruction;
import io.fedsecure.proto.fleet.ReplyHeader;
import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.protocol.weights.TensorSpec;
import io.fedsecure.protocol.weights.WeightsCodec;
import io.fedsecure.supernode.config.NodeConfigConfiguration;
import io.fedsecure.supernode.connection.ConnectionConfiguration;
import io.fedsecure.supernode.testing.FakeSuperLink;
import io.fedsecure.supernode.testing.FixedTrainer;
import io.fedsecure.supernode.testing.NodeFixture;
import io.fedsecure.supernode.training.LocalTrainer;
import io.fedsecure.supernode.training.LocalTrainer.TrainSettings;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole node (Spring context with the production configuration, a deterministic trainer in
 * place of DJL) against a SuperLink stand-in: encrypted instructions in, encrypted replies out.
 */
@SpringBootTest(classes = TaskFlowTest.Node.class)
@DirtiesContext
class TaskFlowTest {

  static final long NODE_ID = 42;

  @SpringBootConfiguration
  @Import({NodeConfigConfiguration.class, ConnectionConfiguration.class, TaskConfiguration.class})
  static class Node {
    @Bean
    LocalTrainer localTrainer() {
      return new FixedTrainer();
    }
  }

  @TempDir static Path dir;
  static NodeFixture node;
  static FakeSuperLink superLink;
  static Path keyFile;
  static WeightKey key;

  private final EnvelopeCipher cipher = new EnvelopeCipher();

  @Autowired LocalTrainer trainer;

  @BeforeAll
  static void start() throws Exception {
    node = NodeFixture.create(dir, "node-1");
    keyFile = dir.resolve("node-1_key.bin");
    EncryptionKeyFiles.generate(keyFile, false);
    key = EncryptionKeyFiles.load(keyFile);
    superLink = node.superLink(NODE_ID);
  }

  @AfterAll
  static void stop() {
    superLink.close();
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    node.springProperties(superLink.port(), keyFile).forEach((k, v) -> registry.add(k, () -> v));
  }

  @BeforeEach
  void nodeIsConnected() {
    await().atMost(Duration.ofSeconds(20)).until(superLink::hasStream);
  }

  @Test
  void trainsOnTheDecryptedModelAndSendsBackAnEncryptedUpdate() throws Exception {
    List<NamedTensor> global = FixedTrainer.sampleWeights(1.5f);
    Instruction instruction =
        instruction("train-1", 1, 2, TaskKind.TASK_KIND_TRAIN)
            .putConfig("local-epochs", ConfigValue.newBuilder().setIntValue(2).build())
            .putConfig("learning-rate", ConfigValue.newBuilder().setDoubleValue(0.25).build())
            .build();

    superLink.send(instruction, seal(key, 1, 2, MessageKind.TRAIN, global), 700);

    FakeSuperLink.ReceivedReply reply = nextReply();
    ReplyHeader header = reply.header();
    assertThat(header.getError()).isEmpty();
    assertThat(header.getInstructionId()).isEqualTo("train-1");
    assertThat(header.getNodeId()).isEqualTo(NODE_ID);
    assertThat(header.getNumExamples()).isEqualTo(120);
    assertThat(header.getMetricsMap())
        .containsEntry("train_loss", 2.5)
        .containsKey("local_seconds");
    assertThat(header.getPayloadSize()).isEqualTo(reply.payload().length);
    // Decrypted as the SuperLink would: its own expectation of run, round, node and direction.
    byte[] plaintext =
        cipher.open(
            key,
            new EnvelopeContext(
                1,
                2,
                NODE_ID,
                Direction.NODE_TO_SUPERLINK,
                MessageKind.TRAIN,
                FixedTrainer.LAYOUT.digest()),
            reply.payload());
    List<NamedTensor> update = WeightsCodec.decode(plaintext, FixedTrainer.LAYOUT);
    List<NamedTensor> expected = FixedTrainer.trained(global, new TrainSettings(2, 32, 0.25));
    for (int i = 0; i < expected.size(); i++) {
      assertThat(update.get(i).spec()).isEqualTo(expected.get(i).spec());
      assertThat(update.get(i).data()).containsExactly(expected.get(i).data());
    }
    assertThat(((FixedTrainer) trainer).trainCalls).contains(new TrainSettings(2, 32, 0.25));
  }

  @Test
  void replyIsRedeliveredWhileTheSuperLinkIsBrieflyUnavailable() throws Exception {
    int attemptsBefore = superLink.pushAttempts.get();
    superLink.pushesToFail.set(2);
    superLink.send(
        instruction("train-u", 7, 1, TaskKind.TASK_KIND_TRAIN).build(),
        seal(key, 7, 1, MessageKind.TRAIN, FixedTrainer.sampleWeights(7)),
        4096);

    FakeSuperLink.ReceivedReply reply = nextReply();
    assertThat(reply.header().getInstructionId()).isEqualTo("train-u");
    assertThat(reply.header().getError()).isEmpty();
    assertThat(superLink.pushAttempts.get() - attemptsBefore).isEqualTo(3);
  }

  @Test
  void givenASuperLinkThatRateLimitsTheNode_whenItPushesAReply_thenItBacksOffAndDeliversItLater()
      throws Exception {
    // Before: only UNAVAILABLE was retried; a transient refusal dropped the reply for good.
    int attemptsBefore = superLink.pushAttempts.get();
    superLink.pushesToRateLimit.set(2);
    superLink.send(
        instruction("train-r", 8, 1, TaskKind.TASK_KIND_TRAIN).build(),
        seal(key, 8, 1, MessageKind.TRAIN, FixedTrainer.sampleWeights(8)),
        4096);

    FakeSuperLink.ReceivedReply reply = nextReply();
    assertThat(reply.header().getInstructionId()).isEqualTo("train-r");
    assertThat(reply.header().getError()).isEmpty();
    assertThat(superLink.pushAttempts.get() - attemptsBefore).isEqualTo(3);
  }

  @Test
  void evaluatesWithoutSendingAPayload() throws Exception {
    superLink.send(
        instruction("eval-1", 5, 1, TaskKind.TASK_KIND_EVALUATE).build(),
        seal(key, 5, 1, MessageKind.EVALUATE, FixedTrainer.sampleWeights(0)),
        1024);

    FakeSuperLink.ReceivedReply reply = nextReply();
    assertThat(reply.header().getError()).isEmpty();
    assertThat(reply.header().getNumExamples()).isEqualTo(40);
    assertThat(reply.header().getMetricsMap())
        .containsEntry("eval_loss", 1.25)
        .containsEntry("eval_accuracy", 0.625);
    assertThat(reply.payload()).isEmpty();
  }

  @Test
  void replayedInstructionIsRefused() throws Exception {
    Instruction instruction = instruction("train-r", 2, 3, TaskKind.TASK_KIND_TRAIN).build();
    byte[] envelope = seal(key, 2, 3, MessageKind.TRAIN, FixedTrainer.sampleWeights(2));
    superLink.send(instruction, envelope, 4096);
    assertThat(nextReply().header().getError()).isEmpty();

    superLink.send(instruction, envelope, 4096);
    FakeSuperLink.ReceivedReply replayed = nextReply();
    assertThat(replayed.header().getError())
        .isEqualTo("refused as a replay: run 2 round 3 train was already handled by this node");
    assertThat(replayed.payload()).isEmpty();

    // An older round of the same run is refused too, though its envelope is genuine.
    superLink.send(
        instruction("train-old", 2, 2, TaskKind.TASK_KIND_TRAIN).build(),
        seal(key, 2, 2, MessageKind.TRAIN, FixedTrainer.sampleWeights(2)),
        4096);
    assertThat(nextReply().header().getError())
        .startsWith("refused as a replay: run 2 round 2 is older than round 3");
  }

  @Test
  void envelopeUnderAnotherKeyGetsAnErrorReply() throws Exception {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    WeightKey wrongKey = WeightKey.fromBytes(raw);
    superLink.send(
        instruction("train-w", 3, 1, TaskKind.TASK_KIND_TRAIN).build(),
        seal(wrongKey, 3, 1, MessageKind.TRAIN, FixedTrainer.sampleWeights(3)),
        4096);

    FakeSuperLink.ReceivedReply reply = nextReply();
    assertThat(reply.header().getError())
        .startsWith("cannot decrypt the global model for round 1: ");
    assertThat(reply.header().getPayloadSize()).isZero();
    assertThat(reply.payload()).isEmpty();
  }

  @Test
  void envelopeForAnotherNodeIsNotOpened() throws Exception {
    List<NamedTensor> weights = FixedTrainer.sampleWeights(4);
    byte[] forNode7 =
        cipher.seal(
            key,
            new EnvelopeContext(
                4,
                1,
                7,
                Direction.SUPERLINK_TO_NODE,
                MessageKind.TRAIN,
                FixedTrainer.LAYOUT.digest()),
            WeightsCodec.encode(weights));
    superLink.send(instruction("train-n", 4, 1, TaskKind.TASK_KIND_TRAIN).build(), forNode7, 4096);

    assertThat(nextReply().header().getError())
        .startsWith("cannot decrypt the global model for round 1: ");
  }

  @Test
  void modelOfAnotherLayoutIsRefusedNamingTheTensor() throws Exception {
    TensorLayout other =
        new TensorLayout(
            List.of(TensorSpec.float32("fc.weight", 3, 4), TensorSpec.float32("fc.bias", 4)));
    superLink.send(
        instruction("train-l", 6, 1, TaskKind.TASK_KIND_TRAIN).setLayout(other.toProto()).build(),
        new byte[64],
        4096);

    assertThat(nextReply().header().getError())
        .isEqualTo(
            "model layout of round 1 train is not this node's model: "
                + "tensor 1 differs: the SuperLink sends fc.bias[4]:float32, this node's model has fc.bias[3]:float32");
  }

  private static Instruction.Builder instruction(String id, long run, int round, TaskKind kind) {
    return Instruction.newBuilder()
        .setInstructionId(id)
        .setRunId(run)
        .setRound(round)
        .setKind(kind)
        .setLayout(FixedTrainer.LAYOUT.toProto())
        .setDeadlineUnixMs(System.currentTimeMillis() + 60_000);
  }

  private byte[] seal(
      WeightKey sealKey, long run, int round, MessageKind kind, List<NamedTensor> weights) {
    return cipher.seal(
        sealKey,
        new EnvelopeContext(
            run, round, NODE_ID, Direction.SUPERLINK_TO_NODE, kind, FixedTrainer.LAYOUT.digest()),
        WeightsCodec.encode(weights));
  }

  private static FakeSuperLink.ReceivedReply nextReply() throws InterruptedException {
    FakeSuperLink.ReceivedReply reply = superLink.replies.poll(20, TimeUnit.SECONDS);
    assertThat(reply).as("a reply within 20 s").isNotNull();
    return reply;
  }
}
