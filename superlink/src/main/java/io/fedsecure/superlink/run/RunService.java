package io.fedsecure.superlink.run;

import io.fedsecure.proto.ConfigValue;
import io.fedsecure.proto.control.RunInfo;
import io.fedsecure.proto.control.RunStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run life cycle as the Control API sees it. Runs execute one at a time, in the order they were
 * started, on one dedicated thread: nodes train one model at a time anyway, and two runs competing
 * for the same nodes' cores would only slow both. Later runs wait as PENDING.
 */
public class RunService {

  private static final Logger log = LoggerFactory.getLogger(RunService.class);

  /** How long a stop request waits for the run thread to abandon its round before answering. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(10);

  static final Duration READY_WAIT = Duration.ofSeconds(30);

  private final RunRepository repository;
  private final RunEngine engine;
  private final RunLog runLog;
  private final RunSettings settings;
  private final Clock clock;
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "run-executor");
            t.setDaemon(true);
            return t;
          });

  private final CompletableFuture<?> ready;

  /**
   * @param setup the run settings and the clock (the rest of it is the engine's)
   * @param ready completes when runs may start without competing for the CPU with start-up work
   *     (the warm-up); a run queued earlier waits for it, at most {@link #READY_WAIT}
   */
  public RunService(
      RunRepository repository,
      RunEngine engine,
      RunLog runLog,
      RunEngine.Setup setup,
      CompletableFuture<?> ready) {
    this.ready = ready;
    this.repository = repository;
    this.engine = engine;
    this.runLog = runLog;
    this.settings = setup.settings();
    this.clock = setup.clock();
  }

  /** Validates the overrides, stores the run as PENDING and queues it. */
  public RunInfo start(Map<String, ConfigValue> overrides) throws InvalidRunConfigException {
    RunConfig config = RunConfig.parse(overrides, settings);
    long runId = repository.create(config.storedMap(), clock.instant());
    runLog.append(
        runId,
        "Run "
            + runId
            + " created with config "
            + config.toConfigMap(runId).entrySet().stream()
                .map(e -> e.getKey() + "=" + display(e.getValue()))
                .toList());
    executor.execute(
        () -> {
          awaitReady(runId);
          engine.execute(runId, config);
        });
    return repository.find(runId).map(this::toInfo).orElseThrow();
  }

  private void awaitReady(long runId) {
    if (ready.isDone()) {
      return;
    }
    runLog.append(
        runId,
        "Waiting for the SuperLink's start-up warm-up to finish (at most "
            + READY_WAIT.toSeconds()
            + " s)");
    try {
      ready.get(READY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Not ready in time: the run goes ahead, only its first round is slower.
    }
  }

  public List<RunInfo> list() {
    return repository.list().stream().map(this::toInfo).toList();
  }

  public RunInfo get(long runId) throws RunNotFoundException {
    return info(runId);
  }

  /**
   * A queued run is stopped at once; a running one abandons its current round. Answers once the run
   * has reached STOPPED (or after a short wait, with whatever status it has then).
   */
  public RunInfo stop(long runId)
      throws RunNotFoundException, RunNotStoppableException, InterruptedException {
    RunStatus status = repository.status(runId).orElseThrow(() -> new RunNotFoundException(runId));
    if (terminal(status)) {
      throw new RunNotStoppableException(
          "run " + runId + " has already ended with status " + status);
    }
    // Logged before any status change: followers rely on no line following a terminal status.
    runLog.append(runId, "Run " + runId + ": stop requested by the operator");
    engine.requestStop(runId);
    if (repository.finish(
        runId,
        RunStatus.RUN_STATUS_PENDING,
        new RunRepository.Ending(RunStatus.RUN_STATUS_STOPPED, clock.instant(), null, null))) {
      log.info("Run {} stopped before it started", runId);
      runLog.changes().signal();
    }
    long deadline = System.nanoTime() + STOP_WAIT.toNanos();
    while (true) {
      long version = runLog.changes().version();
      if (terminal(repository.status(runId).orElseThrow())) {
        break;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        log.warn(
            "Run {} did not reach STOPPED within {}; it will when its thread next wakes",
            runId,
            STOP_WAIT);
        break;
      }
      runLog.changes().awaitChange(version, remaining);
    }
    return info(runId);
  }

  /**
   * A SuperLink that starts finds runs its predecessor left RUNNING or PENDING: their state (the
   * model in memory, the nodes' pending work) is gone, so they are failed, not resumed.
   */
  public void recoverInterruptedRuns() {
    for (long runId : repository.unfinished()) {
      RunStatus status = repository.status(runId).orElseThrow();
      String error = "SuperLink restarted during the run";
      runLog.append(runId, "Run " + runId + " failed: " + error + " (it was " + status + ")");
      repository.finish(
          runId,
          status,
          new RunRepository.Ending(RunStatus.RUN_STATUS_FAILED, clock.instant(), null, error));
      log.warn("Run {} was {} when the SuperLink stopped; marked FAILED", runId, status);
    }
  }

  /** Interrupts the executing run (it is recorded as FAILED) and drops queued ones. */
  public void shutdown() throws InterruptedException {
    executor.shutdownNow();
    if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
      log.warn("The run thread did not end within 5 s of shutdown");
    }
  }

  static boolean terminal(RunStatus status) {
    return status == RunStatus.RUN_STATUS_FINISHED
        || status == RunStatus.RUN_STATUS_FAILED
        || status == RunStatus.RUN_STATUS_STOPPED;
  }

  private RunInfo info(long runId) throws RunNotFoundException {
    return repository
        .find(runId)
        .map(this::toInfo)
        .orElseThrow(() -> new RunNotFoundException(runId));
  }

  private RunInfo toInfo(RunRepository.StoredRun run) {
    Map<String, ConfigValue> effective;
    try {
      effective = RunConfig.parse(run.config(), settings).toConfigMap(run.runId());
    } catch (InvalidRunConfigException e) {
      // Stored by an older version with other keys: show what was stored.
      effective = run.config();
    }
    return repository.toRunInfo(run, effective);
  }

  private static String display(ConfigValue v) {
    return switch (v.getKindCase()) {
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case KIND_NOT_SET -> "";
    };
  }
}
