package io.fedsecure.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's sequence with real processes: certificates and keys from the scripts, a SuperLink,
 * registered SuperNodes training on real CIFAR-10 partitions, flwr driving a run, then the failure
 * cases that only show with real processes (an unregistered node, a node that dies).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FederationIT {
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(15);

  @TempDir static Path workspace;
  static Federation federation;
  static ManagedProcess superlink;

  @BeforeAll
  static void setUp() {
    assumeTrue(
        Files.isRegularFile(Repository.cifarArchive()),
        "skipped: the shared CIFAR-10 archive is not at " + Repository.cifarArchive());
    federation = Federation.prepare(workspace, 3, 2);
    federation.runScript(
        "prepare_dataset.sh",
        "--num-partitions",
        "3",
        "--out",
        "datasets3",
        "--archive",
        Repository.cifarArchive().toString());
    superlink = federation.startSuperLink();
  }

  @AfterAll
  static void tearDown() {
    if (federation != null) {
      federation.close();
    }
  }

  @Test
  @Order(1)
  void twoRegisteredNodesComeOnline() {
    federation.register(1);
    federation.register(2);
    federation.startSuperNode(1, workspace.resolve("datasets/cifar10_part_1"));
    federation.startSuperNode(2, workspace.resolve("datasets/cifar10_part_2"));

    federation.awaitOnline("node-1", "node-2");
  }

  @Test
  @Order(2)
  void anUnregisteredNodeIsRefused() {
    ManagedProcess intruder =
        federation.startSuperNode(3, workspace.resolve("datasets3/cifar10_part_3"));

    int code = intruder.awaitExit(Duration.ofMinutes(2));

    assertThat(code)
        .as("exit code of the unregistered node; output:%n%s", intruder.tail())
        .isNotZero();
    assertThat(intruder.output()).containsIgnoringCase("not registered");
    assertThat(federation.nodeStatuses()).doesNotContainKey("node-3");
  }

  @Test
  @Order(3)
  void threeEncryptedRoundsLearn() throws IOException {
    Federation.CommandResult run = federation.flwr("run", ".", "my-federation", "--stream");

    assertThat(run.exitCode()).as("flwr run output:%n%s", run.output()).isZero();
    assertThat(run.output())
        .contains("Round 1 done", "Round 2 done", "Round 3 done", "Final eval accuracy");

    JsonNode info = lastRun();
    assertThat(info.path("status").asText()).isEqualTo("RUN_STATUS_FINISHED");
    JsonNode rounds = info.path("rounds");
    assertThat(rounds).hasSize(3);
    List<Double> accuracies = new ArrayList<>();
    for (JsonNode round : rounds) {
      assertThat(round.path("trainNodes")).hasSize(2);
      assertThat(round.path("trainLoss").asDouble()).isPositive();
      accuracies.add(round.path("evalAccuracy").asDouble());
    }
    System.out.println("e2e federated evaluation accuracy per round: " + accuracies);
    assertThat(accuracies.get(2)).as("accuracy after round 3").isGreaterThanOrEqualTo(0.45);

    assertLoadableModel(workspace.resolve(info.path("finalModelPath").asText()));
  }

  @Test
  @Order(4)
  void aNodeKilledMidRoundDoesNotStopTheRound() {
    federation.register(3);
    ManagedProcess node3 =
        federation.startSuperNode(3, workspace.resolve("datasets3/cifar10_part_3"));
    federation.awaitOnline("node-1", "node-2", "node-3");

    ManagedProcess run =
        federation.daemon(
            "flwr-run-kill",
            List.of(
                "bash",
                Repository.script("flwr").toString(),
                "run",
                ".",
                "my-federation",
                "--stream",
                "--run-config",
                "num-server-rounds=1 fraction-evaluate=1.0 min-available-nodes=2 min-train-nodes=2"));
    node3.awaitOutput(
        Pattern.compile("(?i)round 1\\b.*train|train.*round 1\\b"), Duration.ofMinutes(3));
    node3.kill();

    int code = run.awaitExit(RUN_TIMEOUT);

    assertThat(code).as("flwr run output:%n%s", run.tail()).isZero();
    JsonNode round = lastRun().path("rounds").get(0);
    System.out.println("e2e round with a killed node: " + round);
    assertThat(round.path("trainNodes"))
        .extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("node-1", "node-2");
    assertThat(round.path("dropped"))
        .anySatisfy(d -> assertThat(d.path("nodeName").asText()).isEqualTo("node-3"));
  }

  @Test
  @Order(5)
  void registrationsAndRunsSurviveASuperLinkRestart() {
    superlink.close(); // SIGTERM: a graceful stop, as an operator's restart would do
    superlink = federation.startSuperLink();

    assertThat(federation.nodeStatuses())
        .containsKeys("node-1", "node-2", "node-3")
        .doesNotContainValue("NODE_STATUS_UNREGISTERED");
    assertThat(lastRun().path("status").asText()).isEqualTo("RUN_STATUS_FINISHED");
  }

  private static JsonNode lastRun() {
    Federation.CommandResult ls = federation.flwr("ls", ".", "my-federation", "--format", "json");
    assertThat(ls.exitCode()).as("flwr ls: %s", ls.output()).isZero();
    JsonNode runs = Federation.parseJson(ls.output()).path("runs");
    JsonNode last = null;
    for (JsonNode r : runs) {
      if (last == null || r.path("runId").asLong() > last.path("runId").asLong()) {
        last = r;
      }
    }
    assertThat(last).as("runs listed: %s", runs).isNotNull();
    return last;
  }

  /** Reads the safetensors file the way a PyTorch user's loader would: header, shapes, data. */
  private static void assertLoadableModel(Path file) throws IOException {
    assertThat(file).isRegularFile();
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength = buf.getLong();
    JsonNode header =
        new ObjectMapper()
            .readTree(
                new String(bytes, 8, (int) headerLength, java.nio.charset.StandardCharsets.UTF_8));
    long parameters = 0;
    int dataStart = 8 + (int) headerLength;
    for (String name :
        List.of(
            "conv1.weight",
            "conv1.bias",
            "conv2.weight",
            "conv2.bias",
            "fc1.weight",
            "fc1.bias",
            "fc2.weight",
            "fc2.bias",
            "fc3.weight",
            "fc3.bias")) {
      JsonNode t = header.get(name);
      assertThat(t).as("tensor %s in %s", name, header).isNotNull();
      assertThat(t.path("dtype").asText()).isEqualTo("F32");
      long begin = t.path("data_offsets").get(0).asLong();
      long end = t.path("data_offsets").get(1).asLong();
      long elements = 1;
      for (JsonNode d : t.path("shape")) {
        elements *= d.asLong();
      }
      assertThat(end - begin).isEqualTo(elements * 4);
      for (long off = begin; off < end; off += 4) {
        assertThat(Float.isFinite(buf.getFloat(dataStart + (int) off))).isTrue();
      }
      parameters += elements;
    }
    assertThat(parameters).isEqualTo(62_006);
  }
}
