package io.fedsecure.superlink.run;

import static io.fedsecure.superlink.run.FakeFederation.HONEST;
import static io.fedsecure.superlink.run.FakeFederation.d;
import static io.fedsecure.superlink.run.FakeFederation.i;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedsecure.proto.ConfigValue;
import io.fedsecure.proto.TaskKind;
import io.fedsecure.proto.control.DroppedReply;
import io.fedsecure.proto.control.LogEntry;
import io.fedsecure.proto.control.RoundMetrics;
import io.fedsecure.proto.control.RunStatus;
import io.fedsecure.proto.fleet.PushReplyResponse;
import io.fedsecure.proto.fleet.ReplyHeader;
import io.fedsecure.protocol.safetensors.Safetensors;
import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.TensorSpec;
import io.fedsecure.superlink.model.ModelInitializer;
import io.fedsecure.superlink.run.FakeFederation.Behavior;
import io.fedsecure.superlink.run.FakeFederation.FakeNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * EncryptedFedAvg driven through the real engine, node streams and Fleet service, with in-process
 * fake nodes.
 */
class EncryptedFedAvgRunTest {

  @TempDir Path dir;
  private FakeFederation fed;

  @BeforeEach
  void setUp() throws Exception {
    // 64 KiB chunks: the ~248 KB envelope goes out as several chunks.
    fed = new FakeFederation(dir, 64 * 1024);
  }

  @AfterEach
  void tearDown() throws Exception {
    fed.close();
  }

  private static Map<String, ConfigValue> config(Object... pairs) {
    Map<String, ConfigValue> map = new HashMap<>();
    map.put("num-server-rounds", i(1));
    map.put("fraction-evaluate", d(1.0));
    map.put("min-available-nodes", i(3));
    map.put("round-timeout", d(30));
    map.put("seed", i(11));
    for (int k = 0; k < pairs.length; k += 2) {
      map.put((String) pairs[k], (ConfigValue) pairs[k + 1]);
    }
    return map;
  }

  private static List<NamedTensor> initial() {
    return ModelInitializer.initialise(FakeFederation.LAYOUT, 11);
  }

  private static void assertModel(List<NamedTensor> actual, List<NamedTensor> base, double delta) {
    assertThat(actual).hasSize(base.size());
    for (int t = 0; t < base.size(); t++) {
      float[] a = actual.get(t).data();
      float[] b = base.get(t).data();
      for (int k = 0; k < b.length; k++) {
        assertThat((double) a[k])
            .as(base.get(t).name() + "[" + k + "]")
            .isCloseTo(b[k] + delta, within(1e-5));
      }
    }
  }

  private static DroppedReply onlyDropped(RoundMetrics round) {
    assertThat(round.getDroppedList()).hasSize(1);
    return round.getDropped(0);
  }

  private List<RoundMetrics> rounds(long runId) {
    return fed.repository.rounds(runId);
  }

  /** Trains dishonestly with {@code train}, evaluates honestly. */
  private static Behavior training(Behavior train) {
    return (node, ins, model) -> {
      if (ins.getKind() == TaskKind.TASK_KIND_TRAIN) {
        train.onInstruction(node, ins, model);
      } else {
        node.replyHonestly(ins, model);
      }
    };
  }

  @Test
  void honestNodesAreAveragedByExamplesOverRoundsAndTheFinalModelIsWritten() throws Exception {
    FakeNode a = fed.addNode("node-1", 100, 1f, HONEST);
    FakeNode b = fed.addNode("node-2", 300, 2f, HONEST);
    FakeNode c = fed.addNode("node-3", 600, -1f, HONEST);
    long runId = fed.createRun(config("num-server-rounds", i(2)));

    RunEngine.RunOutcome outcome = fed.execute(runId);

    assertThat(outcome.status()).isEqualTo(RunStatus.RUN_STATUS_FINISHED);
    // Mean delta per round: (100*1 + 300*2 + 600*-1) / 1000 = 0.1
    assertModel(outcome.globalModel(), initial(), 0.2);
    assertModel(a.received.get(0).model(), initial(), 0);
    FakeFederation.Received round2 =
        b.received.stream()
            .filter(
                r ->
                    r.instruction().getRound() == 2
                        && r.instruction().getKind() == TaskKind.TASK_KIND_TRAIN)
            .findFirst()
            .orElseThrow();
    assertModel(round2.model(), initial(), 0.1);
    assertThat(round2.instruction().getConfigMap())
        .containsOnlyKeys("local-epochs", "batch-size", "learning-rate");
    assertThat(a.responses).allMatch(PushReplyResponse::getAccepted).hasSize(4);
    assertThat(List.of(a, b, c)).allSatisfy(n -> assertThat(n.errors).isEmpty());

    Safetensors.Contents file = new Safetensors(new ObjectMapper()).read(outcome.finalModel());
    assertThat(outcome.finalModel())
        .isEqualTo(dir.resolve("runs/run-" + runId + "/final_model.safetensors").toAbsolutePath());
    assertThat(file.metadata()).containsEntry("run_id", Long.toString(runId));
    for (int t = 0; t < file.tensors().size(); t++) {
      assertThat(file.tensors().get(t).data()).isEqualTo(outcome.globalModel().get(t).data());
    }

    List<RoundMetrics> rounds = rounds(runId);
    assertThat(rounds).hasSize(2);
    RoundMetrics r1 = rounds.get(0);
    assertThat(r1.getTrainNodesList()).containsExactly("node-1", "node-2", "node-3");
    assertThat(r1.getEvaluateNodesList()).containsExactly("node-1", "node-2", "node-3");
    assertThat(r1.getTrainLoss())
        .isCloseTo((100 * 3.0 + 300 * 4.0 + 600 * 1.0) / 1000, within(1e-9));
    assertThat(r1.getEvalLoss())
        .isCloseTo((100 * 2.0 + 300 * 3.0 + 600 * 0.0) / 1000, within(1e-9));
    assertThat(r1.getEvalAccuracy()).isCloseTo(0.5, within(1e-9));
    assertThat(r1.getSlowestNodeSeconds()).isCloseTo(2.5 + 0.25, within(1e-9));
    assertThat(r1.getDroppedList()).isEmpty();
    assertThat(fed.repository.find(runId).orElseThrow().status())
        .isEqualTo(RunStatus.RUN_STATUS_FINISHED);
    assertThat(fed.logLines(runId))
        .anyMatch(
            l -> l.startsWith("Round 2 done in") && l.contains("trained on node-1, node-2, node-3"))
        .anyMatch(
            l ->
                l.contains("final model at " + outcome.finalModel())
                    && l.contains("final accuracy 0.5000"));
  }

  @Test
  void lowMemoryRoundsAggregateOnlyAfterSendingAndGiveTheSameModel() throws Exception {
    // Forced on for a small model: replies wait until every instruction went out, the engine keeps
    // no copy of the global model meanwhile, and the result must not change.
    try (FakeFederation low =
        new FakeFederation(
            Files.createDirectories(dir.resolve("low")), 64 * 1024, DataSize.ofBytes(1))) {
      FakeNode a = low.addNode("node-1", 100, 1f, HONEST);
      low.addNode("node-2", 300, 2f, HONEST);
      low.addNode(
          "node-3",
          600,
          -1f,
          training(
              (node, ins, model) -> {
                byte[] update = node.sealUpdate(ins, FakeFederation.plus(model, node.delta));
                update[update.length / 2] ^= 1;
                node.push(node.trainHeader(ins, update.length), update);
              }));
      long runId = low.createRun(config("num-server-rounds", i(2)));

      RunEngine.RunOutcome outcome = low.execute(runId);

      assertThat(outcome.status()).isEqualTo(RunStatus.RUN_STATUS_FINISHED);
      // Each round: node-3's tampered update is dropped, (100*1 + 300*2) / 400 from the other two.
      assertModel(outcome.globalModel(), initial(), 2 * (100 * 1.0 + 300 * 2.0) / 400);
      FakeFederation.Received round2 =
          a.received.stream()
              .filter(
                  r ->
                      r.instruction().getRound() == 2
                          && r.instruction().getKind() == TaskKind.TASK_KIND_TRAIN)
              .findFirst()
              .orElseThrow();
      assertModel(round2.model(), initial(), (100 * 1.0 + 300 * 2.0) / 400);
    }
  }

  @Test
  void tamperedReplyIsDroppedAndTheRoundCompletesWithTheOthers() throws Exception {
    fed.addNode("node-1", 100, 1f, HONEST);
    fed.addNode("node-2", 300, 2f, HONEST);
    FakeNode bad =
        fed.addNode(
            "node-3",
            600,
            -1f,
            training(
                (node, ins, model) -> {
                  byte[] update = node.sealUpdate(ins, FakeFederation.plus(model, node.delta));
                  update[update.length / 2] ^= 1;
                  node.push(node.trainHeader(ins, update.length), update);
                }));
    long runId = fed.createRun(config());

    RunEngine.RunOutcome outcome = fed.execute(runId);

    assertThat(outcome.status()).isEqualTo(RunStatus.RUN_STATUS_FINISHED);
    assertModel(outcome.globalModel(), initial(), (100 * 1.0 + 300 * 2.0) / 400);
    assertThat(bad.responses.get(0).getAccepted()).isFalse();
    assertThat(bad.responses.get(0).getReason()).contains("authentication");
    DroppedReply dropped = onlyDropped(rounds(runId).get(0));
    assertThat(dropped.getNodeName()).isEqualTo("node-3");
    assertThat(dropped.getReason()).contains("failed authentication");
    assertThat(rounds(runId).get(0).getTrainNodesList()).containsExactly("node-1", "node-2");
    assertThat(fed.logLines(runId))
        .anyMatch(
            l ->
                l.startsWith("Round 1 train: dropped reply from node-3 (id ")
                    && l.contains("authentication"));
  }

  @Test
  void replyReplayedFromThePreviousRoundIsDropped() throws Exception {
    fed.addNode("node-1", 100, 1f, HONEST);
    fed.addNode("node-2", 300, 2f, HONEST);
    AtomicReference<byte[]> roundOne = new AtomicReference<>();
    FakeNode replayer =
        fed.addNode(
            "node-3",
            600,
            -1f,
            training(
                (node, ins, model) -> {
                  if (ins.getRound() == 1) {
                    byte[] update = node.sealUpdate(ins, FakeFederation.plus(model, node.delta));
                    roundOne.set(update);
                    node.push(node.trainHeader(ins, update.length), update);
                  } else {
                    node.push(node.trainHeader(ins, roundOne.get().length), roundOne.get());
                  }
                }));
    long runId = fed.createRun(config("num-server-rounds", i(2)));

    RunEngine.RunOutcome outcome = fed.execute(runId);

    assertThat(outcome.status()).isEqualTo(RunStatus.RUN_STATUS_FINISHED);
    assertThat(rounds(runId).get(0).getDroppedList()).isEmpty();
    DroppedReply dropped = onlyDropped(rounds(runId).get(1));
    assertThat(dropped.getNodeId()).isEqualTo(replayer.id);
    assertThat(dropped.getReason()).contains("failed authentication");
    // Round 1 with all three (+0.1), round 2 without the replayer.
    assertModel(outcome.globalModel(), initial(), 0.1 + (100 * 1.0 + 300 * 2.0) / 400);
  }

  @Test
  void updateWithNaNIsDropped() throws Exception {
    fed.addNode("node-1", 100, 1f, HONEST);
    fed.addNode("node-2", 300, 2f, HONEST);
    FakeNode bad =
        fed.addNode(
            "node-3",
            600,
            -1f,
            training(
                (node, ins, model) -> {
                  List<NamedTensor> poisoned = FakeFederation.plus(model, node.delta);
                  poisoned.get(4).data()[17] = Float.NaN;
                  byte[] update = node.sealUpdate(ins, poisoned);
                  node.push(node.trainHeader(ins, update.length), update);
                }));
    long runId = fed.createRun(config());

    RunEngine.RunOutcome outcome = fed.execute(runId);

    assertThat(outcome.status()).isEqualTo(RunStatus.RUN_STATUS_FINISHED);
    assertThat(bad.responses.get(0).getAccepted()).isFalse();
    assertThat(onlyDropped(rounds(runId).get(0)).getReason()).contains("model update invalid");
    assertModel(outcome.globalModel(), initial(), (100 * 1.0 + 300 * 2.0) / 400);
  }

  @Test
  void updateInAnotherLayoutIsDropped() throws Exception {
    fed.addNode("node-1", 100, 1f, HONEST);
    fed.addNode("node-2", 300, 2f, HONEST);
    fed.addNode(
        "node-3",
        600,
        -1f,
        training(
            (node, ins, model) -> {
              // A 5-class head instead of 10, sealed as if it were the expected layout.
              List<NamedTensor> other = new ArrayList<>(FakeFederation.plus(model, node.delta));
              other.set(
                  8, new NamedTensor(TensorSpec.float32("fc3.weight", 5, 84), new float[5 * 84]));
              other.set(9, new NamedTensor(TensorSpec.float32("fc3.bias", 5), new float[5]));
              byte[] update = node.sealUpdate(ins, other);
              node.push(node.trainHeader(ins, update.length), update);
            }));
    long runId = fed.createRun(config());

    RunEngine.RunOutcome outcome = fed.execute(runId);

    assertThat(outcome.status()).isEqualTo(RunStatus.RUN_STATUS_FINISHED);
    assertThat(onlyDropped(rounds(runId).get(0)).getReason()).contains("model update invalid");
    assertModel(outcome.globalModel(), initial(), (100 * 1.0 + 300 * 2.0) / 400);
  }

  @Test
  void missingNodeIsDroppedAtTheRoundTimeout() throws Exception {
    fed.addNode("node-1", 100, 1f, HONEST);
    fed.addNode("node-2", 300, 2f, HONEST);
    fed.addNode("node-3", 600, -1f, training((node, ins, model) -> {}));
    long runId = fed.createRun(config("round-timeout", d(0.5)));

    RunEngine.RunOutcome outcome = fed.execute(runId);

    assertThat(outcome.status()).isEqualTo(RunStatus.RUN_STATUS_FINISHED);
    DroppedReply dropped = onlyDropped(rounds(runId).get(0));
    assertThat(dropped.getNodeName()).isEqualTo("node-3");
    assertThat(dropped.getReason()).contains("no reply within round-timeout (0.5 s)");
    assertModel(outcome.globalModel(), initial(), (100 * 1.0 + 300 * 2.0) / 400);
  }

  @Test
  void replyArrivingAfterTheRoundTimeoutIsRefusedAsLate() throws Exception {
    fed.addNode("node-1", 100, 1f, HONEST);
    fed.addNode("node-2", 300, 2f, HONEST);
    AtomicReference<Runnable> held = new AtomicReference<>();
    FakeNode slow =
        fed.addNode(
            "node-3",
            600,
            -1f,
            training(
                (node, ins, model) -> {
                  byte[] update = node.sealUpdate(ins, FakeFederation.plus(model, node.delta));
                  ReplyHeader header = node.trainHeader(ins, update.length);
                  held.set(() -> node.push(header, update));
                }));
    long runId = fed.createRun(config("round-timeout", d(0.5)));

    RunEngine.RunOutcome outcome = fed.execute(runId);
    held.get().run();

    assertThat(outcome.status()).isEqualTo(RunStatus.RUN_STATUS_FINISHED);
    PushReplyResponse late =
        slow.responses.stream().filter(r -> !r.getAccepted()).findFirst().orElseThrow();
    assertThat(late.getReason()).startsWith("late reply").contains("round 1 train");
    assertModel(outcome.globalModel(), initial(), (100 * 1.0 + 300 * 2.0) / 400);
  }

  @Test
  void duplicateReplyIsRefusedAndOnlyTheFirstCounts() throws Exception {
    // node-1 answers only after the duplicate, so the round is still open when it arrives.
    CountDownLatch duplicateSent = new CountDownLatch(1);
    fed.addNode(
        "node-1",
        100,
        1f,
        training(
            (node, ins, model) -> {
              assertThat(duplicateSent.await(10, TimeUnit.SECONDS)).isTrue();
              node.replyHonestly(ins, model);
            }));
    fed.addNode("node-2", 300, 2f, HONEST);
    FakeNode twice =
        fed.addNode(
            "node-3",
            600,
            -1f,
            training(
                (node, ins, model) -> {
                  byte[] update = node.sealUpdate(ins, FakeFederation.plus(model, node.delta));
                  node.push(node.trainHeader(ins, update.length), update);
                  byte[] other = node.sealUpdate(ins, FakeFederation.plus(model, 50f));
                  node.push(node.trainHeader(ins, other.length), other);
                  duplicateSent.countDown();
                }));
    long runId = fed.createRun(config());

    RunEngine.RunOutcome outcome = fed.execute(runId);

    assertThat(outcome.status()).isEqualTo(RunStatus.RUN_STATUS_FINISHED);
    assertThat(twice.responses.get(0).getAccepted()).isTrue();
    assertThat(twice.responses.get(1).getAccepted()).isFalse();
    assertThat(twice.responses.get(1).getReason()).contains("duplicate");
    assertModel(outcome.globalModel(), initial(), 0.1);
    assertThat(fed.logLines(runId))
        .anyMatch(l -> l.contains("refused duplicate reply from node-3"));
  }

  @Test
  void replyToAnotherNodesInstructionIsRefusedAndThatNodesOwnReplyStillCounts() throws Exception {
    // node-1 answers only after node-3 tried to answer for it, so its instruction is still open
    // then;
    // node-3 is handed node-1's instruction id, as if it had intercepted it.
    CompletableFuture<String> victimsInstruction = new CompletableFuture<>();
    CountDownLatch impostorTried = new CountDownLatch(1);
    FakeNode victim =
        fed.addNode(
            "node-1",
            100,
            1f,
            training(
                (node, ins, model) -> {
                  victimsInstruction.complete(ins.getInstructionId());
                  assertThat(impostorTried.await(10, TimeUnit.SECONDS)).isTrue();
                  node.replyHonestly(ins, model);
                }));
    fed.addNode("node-2", 300, 2f, HONEST);
    FakeNode impostor =
        fed.addNode(
            "node-3",
            600,
            -1f,
            training(
                (node, ins, model) -> {
                  byte[] update = node.sealUpdate(ins, FakeFederation.plus(model, 50f));
                  String stolen = victimsInstruction.get(10, TimeUnit.SECONDS);
                  node.push(
                      node.trainHeader(ins, update.length).toBuilder()
                          .setInstructionId(stolen)
                          .build(),
                      update);
                  impostorTried.countDown();
                  node.replyHonestly(ins, model);
                }));
    long runId = fed.createRun(config());

    RunEngine.RunOutcome outcome = fed.execute(runId);

    assertThat(outcome.status()).isEqualTo(RunStatus.RUN_STATUS_FINISHED);
    assertThat(impostor.responses.get(0).getAccepted()).isFalse();
    assertThat(impostor.responses.get(0).getReason())
        .isEqualTo("instruction " + victimsInstruction.get() + " was not sent to this node");
    assertThat(impostor.responses.get(1).getAccepted()).isTrue();
    assertThat(victim.responses).allMatch(PushReplyResponse::getAccepted).hasSize(2);
    assertThat(rounds(runId).get(0).getDroppedList()).isEmpty();
    assertModel(outcome.globalModel(), initial(), 0.1);
  }

  @Test
  void
      givenInstructionIdsOnTheWire_whenANodeBuildsAnotherNodesIdFromRunRoundAndNode_thenNoSuchInstructionExists()
          throws Exception {
    // Before: ids were "run-<run>/round-<round>/<phase>/node-<node>", so any node could name
    // another
    // node's live instruction (the guess below was answered "was not sent to this node").
    List<String> seen = new CopyOnWriteArrayList<>();
    List<String> guesses = new CopyOnWriteArrayList<>();
    FakeNode victim =
        fed.addNode(
            "node-1",
            100,
            1f,
            training(
                (node, ins, model) -> {
                  seen.add(ins.getInstructionId());
                  node.replyHonestly(ins, model);
                }));
    fed.addNode(
        "node-2",
        300,
        2f,
        training(
            (node, ins, model) -> {
              seen.add(ins.getInstructionId());
              node.replyHonestly(ins, model);
            }));
    FakeNode guesser =
        fed.addNode(
            "node-3",
            600,
            3f,
            training(
                (node, ins, model) -> {
                  seen.add(ins.getInstructionId());
                  String guess =
                      "run-"
                          + ins.getRunId()
                          + "/round-"
                          + ins.getRound()
                          + "/train/node-"
                          + victim.id;
                  guesses.add(guess);
                  byte[] update = node.sealUpdate(ins, model);
                  node.push(
                      node.trainHeader(ins, update.length).toBuilder()
                          .setInstructionId(guess)
                          .build(),
                      update);
                  node.replyHonestly(ins, model);
                }));
    long runId = fed.createRun(config("num-server-rounds", i(2)));

    RunEngine.RunOutcome outcome = fed.execute(runId);

    assertThat(outcome.status()).isEqualTo(RunStatus.RUN_STATUS_FINISHED);
    assertThat(guesser.responses)
        .filteredOn(r -> !r.getAccepted())
        .extracting(PushReplyResponse::getReason)
        .containsExactlyElementsOf(
            guesses.stream().map(g -> "unknown instruction id '" + g + "'").toList());
    assertThat(seen).hasSize(6).doesNotHaveDuplicates().allMatch(id -> id.matches("[0-9a-f]{32}"));
  }

  @Test
  void
      givenANodeThatSendsTerminalEscapesAndForgedLinesInItsError_whenTheReplyIsDropped_thenLogsAndReasonsShowThemInert()
          throws Exception {
    // Before: the error text went verbatim into the run log (database, flwr log) and the reason:
    // an escape sequence could clear an operator's terminal, a new line could forge a log line.
    String forged =
        "\u001b[2J\nRound 1 done in 0.01 s: trained on node-1, node-2, node-3" + "x".repeat(5000);
    fed.addNode("node-1", 100, 1f, HONEST);
    fed.addNode("node-2", 300, 2f, HONEST);
    FakeNode hostile =
        fed.addNode(
            "node-3",
            600,
            3f,
            training(
                (node, ins, model) ->
                    node.push(
                        node.trainHeader(ins, 0).toBuilder().setError(forged).build(),
                        new byte[0])));
    long runId = fed.createRun(config("min-train-nodes", i(2)));

    RunEngine.RunOutcome outcome = fed.execute(runId);

    assertThat(outcome.status()).isEqualTo(RunStatus.RUN_STATUS_FINISHED);
    String reason = hostile.responses.get(0).getReason();
    assertThat(reason)
        .startsWith("node reported failure: \\u001b[2J\\u000aRound 1 done")
        .hasSizeLessThan(400);
    assertThat(fed.logLines(runId))
        .allMatch(line -> line.chars().noneMatch(Character::isISOControl))
        .noneMatch(line -> line.startsWith("Round 1 done in 0.01 s"))
        .anyMatch(
            line -> line.contains("dropped reply from node-3") && line.contains("\\u001b[2J"));
    assertThat(rounds(runId).get(0).getDroppedList())
        .singleElement()
        .satisfies(d -> assertThat(d.getReason()).hasSizeLessThan(400).doesNotContain("\u001b"));
  }

  @Test
  void evaluationReplyBreakingTheRulesIsDroppedFromTheEvaluationOnly() throws Exception {
    fed.addNode("node-1", 100, 1f, HONEST);
    fed.addNode("node-2", 300, 2f, HONEST);
    FakeNode bad =
        fed.addNode(
            "node-3",
            600,
            -1f,
            (node, ins, model) -> {
              if (ins.getKind() == TaskKind.TASK_KIND_TRAIN) {
                node.replyHonestly(ins, model);
              } else {
                node.push(
                    node.evalHeader(ins).toBuilder().putMetrics("eval_accuracy", 1.5).build(),
                    new byte[0]);
              }
            });
    long runId = fed.createRun(config());

    RunEngine.RunOutcome outcome = fed.execute(runId);

    assertThat(outcome.status()).isEqualTo(RunStatus.RUN_STATUS_FINISHED);
    assertThat(bad.responses.get(1).getReason()).isEqualTo("eval_accuracy 1.5 is outside [0, 1]");
    RoundMetrics round = rounds(runId).get(0);
    assertThat(round.getTrainNodesList()).containsExactly("node-1", "node-2", "node-3");
    assertThat(round.getEvaluateNodesList()).containsExactly("node-1", "node-2");
    assertThat(onlyDropped(round).getReason())
        .isEqualTo("evaluate: eval_accuracy 1.5 is outside [0, 1]");
    assertThat(fed.logLines(runId))
        .anyMatch(l -> l.startsWith("Round 1 evaluate: dropped reply from node-3 (id "));
  }

  @Test
  void fewerValidRepliesThanMinTrainNodesFailsTheRunAndKeepsTheModel() throws Exception {
    FakeNode a = fed.addNode("node-1", 100, 1f, HONEST);
    fed.addNode("node-2", 300, 2f, HONEST);
    fed.addNode(
        "node-3",
        600,
        -1f,
        training(
            (node, ins, model) -> {
              byte[] update = node.sealUpdate(ins, FakeFederation.plus(model, node.delta));
              update[0] ^= 0x40;
              node.push(node.trainHeader(ins, update.length), update);
            }));
    long runId = fed.createRun(config("min-train-nodes", i(3)));

    RunEngine.RunOutcome outcome = fed.execute(runId);

    assertThat(outcome.status()).isEqualTo(RunStatus.RUN_STATUS_FAILED);
    assertThat(outcome.error())
        .contains("round 1: 2 valid training replies, min-train-nodes is 3")
        .contains("node-3");
    assertModel(outcome.globalModel(), a.received.get(0).model(), 0);
    assertModel(outcome.globalModel(), initial(), 0);
    assertThat(outcome.finalModel()).isNull();
    assertThat(Files.exists(dir.resolve("runs/run-" + runId))).isFalse();
    RunRepository.StoredRun stored = fed.repository.find(runId).orElseThrow();
    assertThat(stored.status()).isEqualTo(RunStatus.RUN_STATUS_FAILED);
    assertThat(stored.error()).contains("min-train-nodes is 3");
    assertThat(rounds(runId)).isEmpty();
  }

  @Test
  void nodeWhoseStreamIsCancelledMidRoundCountsAsFailedAtOnce() throws Exception {
    fed.addNode("node-1", 100, 1f, HONEST);
    fed.addNode("node-2", 300, 2f, HONEST);
    fed.addNode("node-3", 600, -1f, training((node, ins, model) -> node.cancelStream()));
    // A round-timeout far beyond the wait below: only the cancellation can end the round in time.
    long runId = fed.createRun(config("round-timeout", d(120)));

    CompletableFuture<RunEngine.RunOutcome> run =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return fed.execute(runId);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    RunEngine.RunOutcome outcome = run.get(20, TimeUnit.SECONDS);

    assertThat(outcome.status()).isEqualTo(RunStatus.RUN_STATUS_FINISHED);
    DroppedReply dropped = onlyDropped(rounds(runId).get(0));
    assertThat(dropped.getNodeName()).isEqualTo("node-3");
    assertThat(dropped.getReason()).contains("instruction stream cancelled before it replied");
    assertThat(rounds(runId).get(0).getEvaluateNodesList()).containsExactly("node-1", "node-2");
    assertModel(outcome.globalModel(), initial(), (100 * 1.0 + 300 * 2.0) / 400);
  }

  @Test
  void stopAbandonsTheCurrentRound() throws Exception {
    fed.addNode("node-1", 100, 1f, HONEST);
    fed.addNode("node-2", 300, 2f, HONEST);
    FakeNode silent = fed.addNode("node-3", 600, -1f, training((node, ins, model) -> {}));
    long runId = fed.createRun(config("round-timeout", d(120)));

    CompletableFuture<RunEngine.RunOutcome> run =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return fed.execute(runId);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    await().atMost(Duration.ofSeconds(10)).until(() -> !silent.received.isEmpty());
    assertThat(fed.engine.requestStop(runId)).isTrue();
    RunEngine.RunOutcome outcome = run.get(10, TimeUnit.SECONDS);

    assertThat(outcome.status()).isEqualTo(RunStatus.RUN_STATUS_STOPPED);
    assertThat(fed.repository.find(runId).orElseThrow().status())
        .isEqualTo(RunStatus.RUN_STATUS_STOPPED);
    assertThat(fed.logLines(runId))
        .anyMatch(l -> l.contains("stopped by the operator during round 1"));
    assertThat(rounds(runId)).isEmpty();
  }

  @Test
  void nodeWithoutAKeyFileIsSkippedWithAReason() throws Exception {
    fed.addNode("node-1", 100, 1f, HONEST);
    fed.addNode("node-2", 300, 2f, HONEST);
    FakeNode keyless = fed.addNode("node-3", 600, -1f, HONEST);
    fed.keys.remove("node-3");
    long runId = fed.createRun(config("min-available-nodes", i(2)));

    RunEngine.RunOutcome outcome = fed.execute(runId);

    assertThat(outcome.status()).isEqualTo(RunStatus.RUN_STATUS_FINISHED);
    assertThat(keyless.received).isEmpty();
    assertThat(rounds(runId).get(0).getTrainNodesList()).containsExactly("node-1", "node-2");
    assertThat(fed.logLines(runId))
        .anyMatch(l -> l.startsWith("Node node-3 (id " + keyless.id + ") skipped: no key file"));
  }

  @Test
  void tooFewNodesFailsAfterWaitingForThem() throws Exception {
    fed.addNode("node-1", 100, 1f, HONEST);
    long runId =
        fed.createRun(config("wait-for-nodes-timeout", d(0.3), "min-available-nodes", i(2)));

    RunEngine.RunOutcome outcome = fed.execute(runId);

    assertThat(outcome.status()).isEqualTo(RunStatus.RUN_STATUS_FAILED);
    assertThat(outcome.error()).contains("only 1 of the 2 required nodes");
  }

  @Test
  void followedLogEndsWithTheFinalStatus() throws Exception {
    fed.addNode("node-1", 100, 1f, HONEST);
    fed.addNode("node-2", 300, 2f, HONEST);
    fed.addNode("node-3", 600, -1f, HONEST);
    long runId = fed.createRun(config());
    LogFollower follower = new LogFollower(fed.repository, fed.runLog);
    List<LogEntry> streamed = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> following =
        CompletableFuture.runAsync(
            () -> {
              try {
                follower.stream(runId, 0, true, streamed::add, () -> false);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });

    fed.execute(runId);
    following.get(10, TimeUnit.SECONDS);

    List<LogEntry> stored = fed.repository.logAfter(runId, 0, 1000);
    assertThat(streamed.subList(0, streamed.size() - 1)).isEqualTo(stored);
    LogEntry last = streamed.get(streamed.size() - 1);
    assertThat(last.getEndOfLog()).isTrue();
    assertThat(last.getStatus()).isEqualTo(RunStatus.RUN_STATUS_FINISHED);
    assertThat(last.getSeq()).isEqualTo(stored.get(stored.size() - 1).getSeq());

    List<LogEntry> resumed = new ArrayList<>();
    follower.stream(runId, last.getSeq(), true, resumed::add, () -> false);
    assertThat(resumed).singleElement().satisfies(e -> assertThat(e.getEndOfLog()).isTrue());
  }
}
