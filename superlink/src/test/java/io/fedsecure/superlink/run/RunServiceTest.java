package io.fedsecure.superlink.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fedsecure.proto.control.RunInfo;
import io.fedsecure.proto.control.RunStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunServiceTest {

  @TempDir Path dir;
  private FakeFederation fed;
  private RunService service;

  @BeforeEach
  void setUp() throws Exception {
    fed = new FakeFederation(dir, 64 * 1024);
    service =
        new RunService(
            fed.repository,
            fed.engine,
            fed.runLog,
            fed.setup,
            CompletableFuture.completedFuture(null));
  }

  @AfterEach
  void tearDown() throws Exception {
    service.shutdown();
    fed.close();
  }

  @Test
  void runsLeftRunningOrPendingByACrashAreMarkedFailedAtStartup() throws Exception {
    long running = fed.createRun(Map.of());
    fed.repository.transition(running, RunStatus.RUN_STATUS_PENDING, RunStatus.RUN_STATUS_RUNNING);
    long pending = fed.createRun(Map.of());
    long finished = fed.createRun(Map.of());
    fed.repository.finish(
        finished,
        RunStatus.RUN_STATUS_PENDING,
        new RunRepository.Ending(
            RunStatus.RUN_STATUS_FINISHED, Clock.systemUTC().instant(), "x", null));

    service.recoverInterruptedRuns();

    for (long id : new long[] {running, pending}) {
      RunInfo info = service.get(id);
      assertThat(info.getStatus()).isEqualTo(RunStatus.RUN_STATUS_FAILED);
      assertThat(info.getError()).isEqualTo("SuperLink restarted during the run");
      assertThat(info.getFinishedAt()).isNotEmpty();
    }
    assertThat(service.get(finished).getStatus()).isEqualTo(RunStatus.RUN_STATUS_FINISHED);
  }

  @Test
  void effectiveConfigIncludesDefaultsAndTheDerivedSeed() throws Exception {
    long id = fed.createRun(Map.of("num-server-rounds", FakeFederation.i(7)));
    RunInfo info = service.get(id);
    assertThat(info.getRunConfigMap().get("num-server-rounds").getIntValue()).isEqualTo(7);
    assertThat(info.getRunConfigMap().get("learning-rate").getDoubleValue()).isEqualTo(0.01);
    assertThat(info.getRunConfigMap().get("seed").getIntValue())
        .isEqualTo(RunConfig.parse(Map.of(), RunConfigTest.SETTINGS).effectiveSeed(id));
    assertThatThrownBy(() -> service.get(id + 100)).isInstanceOf(RunNotFoundException.class);
  }

  @Test
  void aRunWaitsForTheWarmUpAndThenRuns() throws Exception {
    CompletableFuture<Void> warm = new CompletableFuture<>();
    RunService gated = new RunService(fed.repository, fed.engine, fed.runLog, fed.setup, warm);
    try {
      fed.addNode("node-1", 100, 1f, FakeFederation.HONEST);
      fed.addNode("node-2", 300, 2f, FakeFederation.HONEST);
      long id = gated.start(Map.of("num-server-rounds", FakeFederation.i(1))).getRunId();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  fed.logLines(id).stream()
                      .anyMatch(l -> l.startsWith("Waiting for the SuperLink's start-up warm-up")));
      assertThat(gated.get(id).getStatus()).isEqualTo(RunStatus.RUN_STATUS_PENDING);
      warm.complete(null);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> gated.get(id).getStatus() == RunStatus.RUN_STATUS_FINISHED);
    } finally {
      gated.shutdown();
    }
  }
}
