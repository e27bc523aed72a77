package io.fedsecure.superlink.run;

import io.fedsecure.crypto.envelope.EnvelopeCipher;
import io.fedsecure.proto.control.RoundMetrics;
import io.fedsecure.proto.control.RunStatus;
import io.fedsecure.protocol.safetensors.Safetensors;
import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.SyntheticLayouts;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.protocol.weights.WeightsCodec;
import io.fedsecure.protocol.weights.WeightsFormatException;
import io.fedsecure.superlink.fleet.NodeStreams;
import io.fedsecure.superlink.model.ModelInitializer;
import io.fedsecure.superlink.model.SyntheticLayout;
import io.fedsecure.superlink.strategy.EncryptedFedAvg;
import io.fedsecure.superlink.strategy.Participant;
import io.fedsecure.superlink.strategy.Phase;
import io.fedsecure.superlink.strategy.StreamingAggregate;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes one run from start to end on the calling thread: round by round, waits for nodes, sends
 * each sampled node the global model sealed under its own key, collects the replies (see {@link
 * InstructionReply}), aggregates with FedAvg, evaluates, and writes the final model. Free of Spring
 * so tests can drive it with short timeouts and in-process nodes; {@link RunService} puts it on a
 * thread.
 */
public class RunEngine {

  private static final Logger log = LoggerFactory.getLogger(RunEngine.class);

  public static final String FINAL_MODEL_FILE = "final_model.safetensors";

  /**
   * What every run of this engine shares: settings, the model layout, the crypto and the model file
   * format.
   */
  public record Setup(
      RunSettings settings,
      TensorLayout layout,
      EnvelopeCipher cipher,
      Safetensors safetensors,
      Clock clock) {}

  private final RunRepository repository;
  private final RunLog runLog;
  private final NodeEligibility nodes;
  private final NodeStreams streams;
  private final PhaseDispatch phases;
  private final RoundReport report;
  private final Setup setup;
  private final Clock clock;
  private final Map<Long, ActiveRun> active = new ConcurrentHashMap<>();

  RunEngine(
      RunRepository repository,
      RunLog runLog,
      NodeEligibility nodes,
      NodeStreams streams,
      Setup setup) {
    this.repository = repository;
    this.runLog = runLog;
    this.nodes = nodes;
    this.streams = streams;
    this.phases = new PhaseDispatch(streams, runLog, setup.clock());
    this.report = new RoundReport(repository, runLog);
    this.setup = setup;
    this.clock = setup.clock();
  }

  /** How a run ended; the global model is the last aggregated one (the initial one if none was). */
  public record RunOutcome(
      RunStatus status, List<NamedTensor> globalModel, String error, Path finalModel) {}

  /** Stops a run this engine is executing; false if it is not executing it. */
  public boolean requestStop(long runId) {
    ActiveRun run = active.get(runId);
    if (run == null) {
      return false;
    }
    run.stopped = true;
    streams.changes().signal();
    PhaseReplies replies = run.replies;
    if (replies != null) {
      replies.wake();
    }
    return true;
  }

  /**
   * Runs a PENDING run to its end. Returns at once, with the stored status, if it is no longer
   * PENDING.
   */
  public RunOutcome execute(long runId, RunConfig config) {
    ActiveRun run = new ActiveRun(runId, config);
    // Registered before the status moves, so that a stop between the two is not lost.
    active.put(runId, run);
    try {
      if (!repository.transition(
          runId, RunStatus.RUN_STATUS_PENDING, RunStatus.RUN_STATUS_RUNNING)) {
        RunStatus status = repository.status(runId).orElse(RunStatus.RUN_STATUS_UNSPECIFIED);
        return new RunOutcome(
            status, List.of(), "run was " + status + ", not PENDING, when its turn came", null);
      }
      runLog.changes().signal();
      return runToEnd(run);
    } finally {
      active.remove(runId);
    }
  }

  private RunOutcome runToEnd(ActiveRun run) {
    long runId = run.runId;
    RunConfig config = run.config;
    long seed = config.effectiveSeed(runId);
    run.layout =
        config.modelSizeMb() > 0
            ? SyntheticLayout.ofMegabytes(config.modelSizeMb())
            : setup.layout();
    // The global model is kept encoded only: that is the plaintext every node is sent, and one copy
    // of it, next to the round's two aggregation buffers, is what bounds the heap at three model
    // sizes.
    run.global = WeightsCodec.encode(ModelInitializer.initialise(run.layout, seed));
    run.sampling = new SplittableRandom(~seed);
    try {
      run.fedAvg =
          new EncryptedFedAvg(
              config.fedAvgSettings(setup.settings().maxNumExamples()), run.layout, setup.cipher());
      runLog.append(
          runId,
          String.format(
              Locale.ROOT,
              "Run %d started: %d rounds, fraction-train %s, fraction-evaluate %s, min-train-nodes %d, min-available-nodes %d,"
                  + " round-timeout %s s; model %s (%d parameters) initialised with seed %d",
              runId,
              config.numServerRounds(),
              config.fractionTrain(),
              config.fractionEvaluate(),
              config.minTrainNodes(),
              config.minAvailableNodes(),
              LogText.seconds(config.roundTimeout()),
              config.modelSizeMb() > 0 ? "synthetic-" + config.modelSizeMb() + "MB" : "Net",
              run.layout.parameterCount(),
              seed));
      RoundMetrics last = null;
      for (int round = 1; round <= config.numServerRounds(); round++) {
        last = runRound(run, round);
      }
      Path model = writeFinalModel(run);
      String accuracy =
          last != null && Double.isFinite(last.getEvalAccuracy())
              ? String.format(
                  Locale.ROOT,
                  "final accuracy %.4f (eval loss %.4f)",
                  last.getEvalAccuracy(),
                  last.getEvalLoss())
              : "no final accuracy (the last round had no valid evaluation)";
      runLog.append(
          runId,
          "Run "
              + runId
              + " finished after "
              + config.numServerRounds()
              + " rounds: final model at "
              + model
              + "; "
              + accuracy);
      end(run, RunStatus.RUN_STATUS_FINISHED, model.toString(), null);
      return new RunOutcome(RunStatus.RUN_STATUS_FINISHED, globalModel(run), null, model);
    } catch (ActiveRun.StoppedException e) {
      runLog.append(
          runId,
          "Run "
              + runId
              + " stopped by the operator during round "
              + run.round
              + "; that round was"
              + " abandoned and no final model was written");
      end(run, RunStatus.RUN_STATUS_STOPPED, null, null);
      return new RunOutcome(RunStatus.RUN_STATUS_STOPPED, globalModel(run), null, null);
    } catch (ActiveRun.FailedException e) {
      return fail(run, e.getMessage());
    } catch (InterruptedException e) {
      // Recorded before the interrupt is restored: JDBC calls on an interrupted thread may fail.
      RunOutcome outcome =
          fail(run, "round " + run.round + " interrupted: the SuperLink is shutting down");
      Thread.currentThread().interrupt();
      return outcome;
    } catch (IOException e) {
      return fail(run, "could not write the final model: " + e.getMessage());
    } catch (RuntimeException e) {
      log.error("Run {} failed in round {} with an internal error", runId, run.round, e);
      return fail(run, "internal error in round " + run.round + ": " + e);
    }
  }

  private RunOutcome fail(ActiveRun run, String error) {
    String message = "Run " + run.runId + " failed in round " + run.round + ": " + error;
    runLog.warn(
        run.runId,
        message
            + ". The global model stays as it was before this round; no final model was written");
    end(run, RunStatus.RUN_STATUS_FAILED, null, error);
    return new RunOutcome(RunStatus.RUN_STATUS_FAILED, globalModel(run), error, null);
  }

  private void end(ActiveRun run, RunStatus status, String finalModel, String error) {
    repository.finish(
        run.runId,
        RunStatus.RUN_STATUS_RUNNING,
        new RunRepository.Ending(status, clock.instant(), finalModel, error));
    runLog.changes().signal();
  }

  private RoundMetrics runRound(ActiveRun run, int round)
      throws ActiveRun.StoppedException, ActiveRun.FailedException, InterruptedException {
    run.round = round;
    Instant start = clock.instant();
    RoundTimeline timeline = new RoundTimeline();
    List<Participant> available = nodes.await(run, round, setup.settings().nodeRecheckInterval());
    timeline.step("nodes-ready");
    List<Participant> trainNodes = run.fedAvg.sampleTrain(available, run.sampling);

    // Updates are averaged as they stream in (see StreamingAggregate); none is ever held whole.
    boolean lowMemory =
        SyntheticLayouts.parameterBytes(run.layout) >= setup.settings().lowMemoryFrom().toBytes();
    StreamingAggregate aggregate = new StreamingAggregate(run.layout, setup.cipher(), !lowMemory);
    PhaseReplies train;
    try {
      // takeGlobal, not run.global: with a large model the sealers still sending it must hold the
      // only references, so that it is gone once sent (this frame keeps no local copy).
      train =
          phases.run(
              run,
              new PhaseDispatch.Plan(
                  Phase.TRAIN,
                  trainNodes,
                  aggregate,
                  timeline,
                  "Round "
                      + round
                      + ": training on "
                      + trainNodes.size()
                      + " of "
                      + available.size()
                      + " nodes: "
                      + LogText.labels(trainNodes)),
              takeGlobal(run, lowMemory));
    } finally {
      aggregate.close();
    }
    int trained = train.accepted().size();
    if (trained < run.fedAvg.settings().minTrainNodes()) {
      throw new ActiveRun.FailedException(
          "round "
              + round
              + ": "
              + trained
              + " valid training replies, min-train-nodes is "
              + run.fedAvg.settings().minTrainNodes()
              + droppedSummary(train));
    }
    run.global = aggregate.encodedMean();
    timeline.step("aggregated");

    List<Participant> evalNodes = run.fedAvg.sampleEvaluate(nodes.eligible(run), run.sampling);
    timeline.step("eval-sampled");
    PhaseReplies evaluate = null;
    if (evalNodes.isEmpty()) {
      runLog.append(
          run.runId,
          "Round " + round + ": no evaluation (no eligible node or fraction-evaluate is 0)");
    } else {
      evaluate =
          phases.run(
              run,
              new PhaseDispatch.Plan(
                  Phase.EVALUATE,
                  evalNodes,
                  null,
                  timeline,
                  "Round "
                      + round
                      + ": evaluating on "
                      + evalNodes.size()
                      + " nodes: "
                      + LogText.labels(evalNodes)),
              run.global);
    }
    double wall = Duration.between(start, clock.instant()).toNanos() / 1e9;
    return report.record(run, new RoundReport.Outcome(round, train, evaluate, wall, timeline));
  }

  /**
   * The global model to send this round. For a low-memory round the run lets go of it: until the
   * aggregate replaces it, the sealers sending it are what keep it alive. A low-memory run that
   * fails or is stopped in this round therefore reports no model in its outcome; such a run writes
   * no final model either way.
   */
  private static byte[] takeGlobal(ActiveRun run, boolean lowMemory) {
    byte[] global = run.global;
    if (lowMemory) {
      run.global = new byte[0];
    }
    return global;
  }

  private Path writeFinalModel(ActiveRun run) throws IOException {
    Path file =
        setup
            .settings()
            .dir()
            .resolve("run-" + run.runId)
            .resolve(FINAL_MODEL_FILE)
            .toAbsolutePath();
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("format", "pt");
    metadata.put("run_id", Long.toString(run.runId));
    metadata.put("round", Integer.toString(run.config.numServerRounds()));
    metadata.put(
        "model",
        run.config.modelSizeMb() > 0
            ? "synthetic-" + run.config.modelSizeMb() + "MB"
            : "flwr-example-Net");
    setup.safetensors().write(file, globalModel(run), metadata);
    return file;
  }

  /** The global model as tensors, decoded from the one encoded copy that is kept. */
  private static List<NamedTensor> globalModel(ActiveRun run) {
    if (run.global.length == 0) {
      return List.of();
    }
    try {
      return WeightsCodec.decode(run.global, run.layout);
    } catch (WeightsFormatException e) {
      throw new IllegalStateException(
          "the SuperLink's own global model does not decode: " + e.getMessage(), e);
    }
  }

  private static String droppedSummary(PhaseReplies replies) {
    if (replies.dropped().isEmpty()) {
      return "";
    }
    return replies.dropped().stream()
        .map(d -> d.getNodeName() + " (id " + d.getNodeId() + "): " + d.getReason())
        .collect(Collectors.joining("; ", " (dropped: ", ")"));
  }
}
