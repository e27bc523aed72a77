package io.fedsecure.superlink.run;

import io.fedsecure.crypto.envelope.EnvelopeCipher;
import io.fedsecure.crypto.envelope.EnvelopeSealer;
import io.fedsecure.crypto.envelope.WeightKey;
import io.fedsecure.crypto.keys.KeyFileException;
import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.SyntheticLayouts;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.protocol.weights.TensorSpec;
import io.fedsecure.protocol.weights.WeightsCodec;
import io.fedsecure.protocol.weights.WeightsFormatException;
import io.fedsecure.proto.TaskKind;
import io.fedsecure.proto.control.DroppedReply;
import io.fedsecure.proto.control.RoundMetrics;
import io.fedsecure.proto.control.RunStatus;
import io.fedsecure.proto.fleet.Instruction;
import io.fedsecure.superlink.dispatch.StreamDispatcher;
import io.fedsecure.superlink.dispatch.WeightKeyLoader;
import io.fedsecure.superlink.model.ModelInitializer;
import io.fedsecure.superlink.model.SyntheticLayout;
import io.fedsecure.protocol.safetensors.Safetensors;
import io.fedsecure.superlink.registry.NodeRegistry;
import io.fedsecure.superlink.registry.RegisteredNode;
import io.fedsecure.superlink.strategy.EncryptedFedAvg;
import io.fedsecure.superlink.strategy.EvaluateResult;
import io.fedsecure.superlink.strategy.ExpectedReply;
import io.fedsecure.superlink.strategy.ReplyRejectedException;
import io.fedsecure.superlink.strategy.StreamingAggregate;
import io.fedsecure.superlink.strategy.Participant;
import io.fedsecure.superlink.strategy.TrainResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes one run from start to end on the calling thread: waits for nodes, sends each sampled
 * node the global model sealed under its own key, collects and checks the replies, aggregates with
 * FedAvg, evaluates, and writes the final model. Free of Spring so tests can drive it with short
 * timeouts and in-process nodes; {@link RunService} puts it on a thread.
 */
public class RunEngine {

  private static final Logger log = LoggerFactory.getLogger(RunEngine.class);

  public static final String FINAL_MODEL_FILE = "final_model.safetensors";

  private final RunRepository repository;
  private final RunLog runLog;
  private final NodeRegistry registry;
  private final StreamDispatcher dispatcher;
  private final WeightKeyLoader keys;
  private final EnvelopeCipher cipher;
  private final Safetensors safetensors;
  private final Clock clock;
  private final RunSettings settings;
  private final TensorLayout layout;
  private final Map<Long, ActiveRun> active = new ConcurrentHashMap<>();

  public RunEngine(
      RunRepository repository, RunLog runLog, NodeRegistry registry, StreamDispatcher dispatcher, WeightKeyLoader keys,
      EnvelopeCipher cipher, Safetensors safetensors, Clock clock, RunSettings settings, TensorLayout layout) {
    this.repository = repository;
    this.runLog = runLog;
    this.registry = registry;
    this.dispatcher = dispatcher;
    this.keys = keys;
    this.cipher = cipher;
    this.safetensors = safetensors;
    this.clock = clock;
    this.settings = settings;
    this.layout = layout;
  }

  /** How a run ended; the global model is the last aggregated one (the initial one if none was). */
  public record RunOutcome(RunStatus status, List<NamedTensor> globalModel, String error, Path finalModel) {}

  /** Stops a run this engine is executing; false if it is not executing it. */
  public boolean requestStop(long runId) {
    ActiveRun run = active.get(runId);
    if (run == null) {
      return false;
    }
    run.stopped = true;
    dispatcher.changes().signal();
    RoundCollector<?> collector = run.collector;
    if (collector != null) {
      collector.wake();
    }
    return true;
  }

  /** Runs a PENDING run to its end. Returns at once, with the stored status, if it is no longer PENDING. */
  public RunOutcome execute(long runId, RunConfig config) {
    ActiveRun run = new ActiveRun(runId, config);
    // Registered before the status moves, so that a stop between the two is not lost.
    active.put(runId, run);
    try {
      if (!repository.transition(runId, RunStatus.RUN_STATUS_PENDING, RunStatus.RUN_STATUS_RUNNING)) {
        RunStatus status = repository.status(runId).orElse(RunStatus.RUN_STATUS_UNSPECIFIED);
        return new RunOutcome(status, List.of(), "run was " + status + ", not PENDING, when its turn came", null);
      }
      runLog.changes().signal();
      return runToEnd(run);
    } finally {
      active.remove(runId);
      run.closeOutstanding();
    }
  }

  private RunOutcome runToEnd(ActiveRun run) {
    long runId = run.runId;
    RunConfig config = run.config;
    long seed = config.effectiveSeed(runId);
    run.layout = config.modelSizeMb() > 0 ? SyntheticLayout.ofMegabytes(config.modelSizeMb()) : layout;
    // The global model is kept encoded only: that is the plaintext every node is sent, and one copy
    // of it, next to the round's two aggregation buffers, is what bounds the heap at three model sizes.
    run.global = WeightsCodec.encode(ModelInitializer.initialise(run.layout, seed));
    run.sampling = new SplittableRandom(~seed);
    try {
      run.fedAvg = new EncryptedFedAvg(config.fedAvgSettings(settings.maxNumExamples()), run.layout, cipher);
      append(run, String.format(Locale.ROOT,
          "Run %d started: %d rounds, fraction-train %s, fraction-evaluate %s, min-train-nodes %d, min-available-nodes %d,"
              + " round-timeout %s s; model %s (%d parameters) initialised with seed %d",
          runId, config.numServerRounds(), config.fractionTrain(), config.fractionEvaluate(), config.minTrainNodes(),
          config.minAvailableNodes(), seconds(config.roundTimeout()),
          config.modelSizeMb() > 0 ? "synthetic-" + config.modelSizeMb() + "MB" : "Net", run.layout.parameterCount(), seed));
      RoundMetrics last = null;
      for (int round = 1; round <= config.numServerRounds(); round++) {
        last = runRound(run, round);
      }
      Path model = writeFinalModel(run);
      String accuracy =
          last != null && Double.isFinite(last.getEvalAccuracy())
              ? String.format(Locale.ROOT, "final accuracy %.4f (eval loss %.4f)", last.getEvalAccuracy(), last.getEvalLoss())
              : "no final accuracy (the last round had no valid evaluation)";
      append(run, "Run " + runId + " finished after " + config.numServerRounds() + " rounds: final model at " + model + "; " + accuracy);
      end(run, RunStatus.RUN_STATUS_FINISHED, model.toString(), null);
      return new RunOutcome(RunStatus.RUN_STATUS_FINISHED, globalModel(run), null, model);
    } catch (RunStoppedException e) {
      append(run, "Run " + runId + " stopped by the operator during round " + run.round + "; that round was abandoned"
          + " and no final model was written");
      end(run, RunStatus.RUN_STATUS_STOPPED, null, null);
      return new RunOutcome(RunStatus.RUN_STATUS_STOPPED, globalModel(run), null, null);
    } catch (RunFailedException e) {
      return fail(run, e.getMessage());
    } catch (InterruptedException e) {
      // Recorded before the interrupt is restored: JDBC calls on an interrupted thread may fail.
      RunOutcome outcome = fail(run, "round " + run.round + " interrupted: the SuperLink is shutting down");
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
    runLog.warn(run.runId, message + ". The global model stays as it was before this round; no final model was written");
    end(run, RunStatus.RUN_STATUS_FAILED, null, error);
    return new RunOutcome(RunStatus.RUN_STATUS_FAILED, globalModel(run), error, null);
  }

  private void end(ActiveRun run, RunStatus status, String finalModel, String error) {
    repository.finish(run.runId, RunStatus.RUN_STATUS_RUNNING, status, clock.instant(), finalModel, error);
    runLog.changes().signal();
  }

  private RoundMetrics runRound(ActiveRun run, int round)
      throws RunStoppedException, RunFailedException, InterruptedException {
    run.round = round;
    Instant start = clock.instant();
    RoundTimeline timeline = new RoundTimeline();
    List<Participant> available = awaitNodes(run, round);
    timeline.step("nodes-ready");
    List<Participant> trainNodes = run.fedAvg.sampleTrain(available, run.sampling);

    // Updates are averaged as they stream in (see StreamingAggregate); none is ever held whole.
    boolean lowMemory = SyntheticLayouts.parameterBytes(run.layout) >= settings.lowMemoryFrom().toBytes();
    StreamingAggregate aggregate = new StreamingAggregate(run.layout, cipher, !lowMemory);
    RoundCollector<TrainResult> train;
    try {
      // takeGlobal, not run.global: with a large model the sealers still sending it must hold the
      // only references, so that it is gone once sent (this frame keeps no local copy).
      train = dispatchPhase(run, round, TaskKind.TASK_KIND_TRAIN, "train", trainNodes, takeGlobal(run, lowMemory),
          run.fedAvg::validateTrain, streamingTrain(run, aggregate), lowMemory ? aggregate::open : () -> {}, timeline,
          "Round " + round + ": training on " + trainNodes.size() + " of " + available.size() + " nodes: " + labels(trainNodes));
    } finally {
      aggregate.close();
    }
    List<TrainResult> trained = train.accepted();
    if (trained.size() < run.fedAvg.settings().minTrainNodes()) {
      throw new RunFailedException("round " + round + ": " + trained.size() + " valid training replies, min-train-nodes is "
          + run.fedAvg.settings().minTrainNodes() + droppedSummary(train.dropped()));
    }
    run.global = aggregate.encodedMean();
    timeline.step("aggregated");

    List<Participant> evalNodes = run.fedAvg.sampleEvaluate(eligible(run), run.sampling);
    timeline.step("eval-sampled");
    List<EvaluateResult> evaluated = List.of();
    List<DroppedReply> evalDropped = List.of();
    if (evalNodes.isEmpty()) {
      append(run, "Round " + round + ": no evaluation (no eligible node or fraction-evaluate is 0)");
    } else {
      RoundCollector<EvaluateResult> eval =
          dispatchPhase(run, round, TaskKind.TASK_KIND_EVALUATE, "evaluate", evalNodes, run.global,
              run.fedAvg::validateEvaluate, null, () -> {}, timeline,
              "Round " + round + ": evaluating on " + evalNodes.size() + " nodes: " + labels(evalNodes));
      evaluated = eval.accepted();
      evalDropped = eval.dropped();
    }
    EncryptedFedAvg.EvaluateAggregate evalAggregate = EncryptedFedAvg.aggregateEvaluate(evaluated);
    double trainLoss = EncryptedFedAvg.trainLoss(trained);
    double wall = Duration.between(start, clock.instant()).toNanos() / 1e9;
    double slowest = slowestNodeSeconds(trained, evaluated);

    List<DroppedReply> dropped = new ArrayList<>(train.dropped());
    dropped.addAll(evalDropped);
    RoundMetrics metrics =
        RoundMetrics.newBuilder()
            .setRound(round)
            .addAllTrainNodes(trained.stream().map(r -> r.participant().name()).toList())
            .setTrainLoss(trainLoss)
            .addAllEvaluateNodes(evaluated.stream().map(r -> r.participant().name()).toList())
            .setEvalLoss(evalAggregate.loss())
            .setEvalAccuracy(evalAggregate.accuracy())
            .addAllDropped(dropped)
            .setWallSeconds(wall)
            .setSlowestNodeSeconds(slowest)
            .build();
    repository.saveRound(run.runId, metrics);
    timeline.step("saved");
    append(run, String.format(Locale.ROOT,
        "Round %d done in %.2f s: trained on %s (train_loss %.4f); evaluated on %s (eval_loss %.4f, eval_accuracy %.4f);"
            + " dropped %d; slowest node %.2f s",
        round, wall, names(trained.stream().map(TrainResult::participant).toList()), trainLoss,
        evaluated.isEmpty() ? "no node" : names(evaluated.stream().map(EvaluateResult::participant).toList()),
        evalAggregate.loss(), evalAggregate.accuracy(), dropped.size(), slowest));
    timeline.step("logged");
    logTimeline(run, round, timeline, wall, slowest, trained, evaluated);
    return metrics;
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

  /**
   * Sends the phase's instructions and waits for the replies. {@code allSent} runs once every
   * instruction's envelope has gone out or can no longer go out (its node's stream ended).
   */
  private <R> RoundCollector<R> dispatchPhase(
      ActiveRun run, int round, TaskKind kind, String phase, List<Participant> nodes, byte[] encodedModel,
      RoundCollector.Validator<R> validator, RoundCollector.Streaming<R> streaming, Runnable allSent,
      RoundTimeline timeline, String announcement)
      throws RunStoppedException, InterruptedException {
    Instant deadline = clock.instant().plus(run.config.roundTimeout());
    RoundCollector<R> collector =
        new RoundCollector<>(phase, validator, streaming, line -> runLog.warn(run.runId, line), timeline);
    run.collector = collector;
    AtomicInteger unsent = new AtomicInteger(nodes.size());
    Runnable settled = () -> {
      if (unsent.decrementAndGet() == 0) {
        allSent.run();
      }
    };
    if (nodes.isEmpty()) {
      allSent.run();
    }
    for (Participant p : nodes) {
      send(run, round, kind, phase, p, encodedModel, deadline, collector, timeline, settled);
    }
    // The sealers hold the model from here; this frame's reference would keep a sent one alive.
    encodedModel = null;
    timeline.step(phase + "-queued");
    // Logged once the instructions are on their way: the database write then overlaps the nodes'
    // work instead of delaying every node's start (measured 5-30 ms per line on a loaded machine).
    append(run, announcement);
    timeline.step(phase + "-logged");
    collector.awaitAll(clock, deadline, () -> run.stopped);
    timeline.step(phase + "-replies-in");
    String late =
        run.stopped
            ? "run " + run.runId + " was stopped"
            : "round " + round + " " + phase + " of run " + run.runId + " already closed";
    collector.close(
        run.stopped ? "run stopped before the node replied" : "no reply within round-timeout (" + seconds(run.config.roundTimeout()) + " s)",
        late);
    for (String id : collector.instructionIds()) {
      dispatcher.close(id, late);
      run.outstanding.remove(id);
    }
    run.collector = null;
    if (run.stopped) {
      throw new RunStoppedException();
    }
    return collector;
  }

  /** One node's instruction; its own method so that no sealer outlives it in a frame of the waiting thread. */
  private void send(ActiveRun run, int round, TaskKind kind, String phase, Participant p, byte[] encodedModel,
      Instant deadline, RoundCollector<?> collector, RoundTimeline timeline, Runnable settled) {
    String id = instructionId(run, round, phase, p);
    ExpectedReply expected = new ExpectedReply(id, run.runId, round, kind, p);
    EnvelopeSealer envelope = run.fedAvg.sealStream(p, run.runId, round, kind, encodedModel);
    collector.expect(expected);
    run.outstanding.add(id);
    dispatcher.expect(id, p.nodeId(), collector);
    Instruction instruction =
        Instruction.newBuilder()
            .setInstructionId(id)
            .setRunId(run.runId)
            .setRound(round)
            .setKind(kind)
            .putAllConfig(run.config.nodeConfig())
            .setLayout(protoLayout(run.layout))
            .setDeadlineUnixMs(deadline.toEpochMilli())
            .build();
    timeline.queued(id);
    Runnable sent = () -> {
      timeline.sent(id);
      settled.run();
    };
    if (!dispatcher.send(p.nodeId(), instruction, envelope, sent, settled)) {
      collector.onNodeLost(id, p.nodeId(), "no open instruction stream");
      settled.run();
    }
  }

  private static String instructionId(ActiveRun run, int round, String phase, Participant p) {
    return "run-" + run.runId + "/round-" + round + "/" + phase + "/node-" + p.nodeId();
  }

  /**
   * The round's timing breakdown (see {@link RoundTimeline}), plus the part of the overhead that is
   * the phase barrier itself: evaluation waits for the slowest trainer, so wall time is at least
   * slowest train + slowest evaluate, which exceeds the slowest node's train + evaluate when
   * different nodes are slowest in each phase.
   */
  private void logTimeline(ActiveRun run, int round, RoundTimeline timeline, double wall, double slowest,
      List<TrainResult> trained, List<EvaluateResult> evaluated) {
    if (!log.isInfoEnabled()) {
      return;
    }
    StringBuilder b = new StringBuilder();
    double maxTrain = 0;
    for (TrainResult r : trained) {
      Double local = r.metrics().get(EncryptedFedAvg.LOCAL_SECONDS);
      maxTrain = Math.max(maxTrain, local == null ? 0 : local);
      b.append("; train ").append(timeline.node(r.participant().name(), instructionId(run, round, "train", r.participant()), local));
    }
    double maxEval = 0;
    for (EvaluateResult r : evaluated) {
      Double local = r.metrics().get(EncryptedFedAvg.LOCAL_SECONDS);
      maxEval = Math.max(maxEval, local == null ? 0 : local);
      b.append("; evaluate ").append(timeline.node(r.participant().name(), instructionId(run, round, "evaluate", r.participant()), local));
    }
    log.info(String.format(Locale.ROOT,
        "[run %d] Round %d timing (ms from round start): %s%s; wall %.1f, slowest node %.1f, overhead %.1f"
            + " of which phase barrier %.1f",
        run.runId, round, timeline.steps(), b, wall * 1000, slowest * 1000, (wall - slowest) * 1000,
        (maxTrain + maxEval - slowest) * 1000));
  }

  /** Waits, woken by stream changes and a documented re-check of the registry, for enough nodes. */
  private List<Participant> awaitNodes(ActiveRun run, int round)
      throws RunStoppedException, RunFailedException, InterruptedException {
    int needed = run.config.nodesToWaitFor();
    Instant deadline = clock.instant().plus(run.config.waitForNodesTimeout());
    boolean announced = false;
    while (true) {
      if (run.stopped) {
        throw new RunStoppedException();
      }
      long version = dispatcher.changes().version();
      List<Participant> eligible = eligible(run);
      if (eligible.size() >= needed) {
        return eligible;
      }
      long remaining = Duration.between(clock.instant(), deadline).toNanos();
      if (remaining <= 0) {
        throw new RunFailedException(
            "only " + eligible.size() + " of the " + needed + " required nodes were online with an open instruction stream"
                + " and a key file after waiting " + seconds(run.config.waitForNodesTimeout()) + " s");
      }
      if (!announced) {
        append(run, "Round " + round + ": waiting up to " + seconds(run.config.waitForNodesTimeout()) + " s for " + needed
            + " nodes (" + eligible.size() + " ready: " + labels(eligible) + ")");
        announced = true;
      }
      dispatcher.changes().awaitChange(version, Math.min(remaining, settings.nodeRecheckInterval().toNanos()));
    }
  }

  /** Online nodes with an open stream and a usable key, in node-id order. */
  private List<Participant> eligible(ActiveRun run) {
    List<Participant> result = new ArrayList<>();
    List<RegisteredNode> online = new ArrayList<>(registry.online());
    online.sort(Comparator.comparingLong(RegisteredNode::nodeId));
    for (RegisteredNode node : online) {
      if (!dispatcher.hasStream(node.nodeId())) {
        continue;
      }
      if (node.name() == null || node.name().isBlank()) {
        if (run.skipped.add(node.nodeId())) {
          runLog.warn(run.runId, "Node id " + node.nodeId() + " has no registered name, so no key file: skipped");
        }
        continue;
      }
      WeightKey key = run.keys.get(node.name());
      if (key == null) {
        try {
          key = keys.load(node.name());
          run.keys.put(node.name(), key);
        } catch (KeyFileException e) {
          if (run.skipped.add(node.nodeId())) {
            runLog.warn(run.runId, "Node " + node.name() + " (id " + node.nodeId() + ") skipped: " + e.getMessage());
          }
          continue;
        }
      }
      result.add(new Participant(node.nodeId(), node.name(), key));
    }
    return result;
  }

  private Path writeFinalModel(ActiveRun run) throws IOException {
    Path file = settings.dir().resolve("run-" + run.runId).resolve(FINAL_MODEL_FILE).toAbsolutePath();
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("format", "pt");
    metadata.put("run_id", Long.toString(run.runId));
    metadata.put("round", Integer.toString(run.config.numServerRounds()));
    metadata.put("model", run.config.modelSizeMb() > 0 ? "synthetic-" + run.config.modelSizeMb() + "MB" : "flwr-example-Net");
    safetensors.write(file, globalModel(run), metadata);
    return file;
  }

  private static RoundCollector.Streaming<TrainResult> streamingTrain(ActiveRun run, StreamingAggregate aggregate) {
    return (expected, header, granted) -> {
      EncryptedFedAvg.StreamedTrain streamed = run.fedAvg.openTrain(aggregate, expected, header, granted);
      return new RoundCollector.Streamed<>() {
        @Override
        public void feed(byte[] data, int off, int len) {
          streamed.feed(data, off, len);
        }

        @Override
        public TrainResult finish() throws ReplyRejectedException {
          return streamed.finish();
        }

        @Override
        public void abort() {
          streamed.abort();
        }
      };
    };
  }

  /** The global model as tensors, decoded from the one encoded copy that is kept. */
  private static List<NamedTensor> globalModel(ActiveRun run) {
    if (run.global.length == 0) {
      return List.of();
    }
    try {
      return WeightsCodec.decode(run.global, run.layout);
    } catch (WeightsFormatException e) {
      throw new IllegalStateException("the SuperLink's own global model does not decode: " + e.getMessage(), e);
    }
  }

  private void append(ActiveRun run, String line) {
    runLog.append(run.runId, line);
  }

  private static double slowestNodeSeconds(List<TrainResult> trained, List<EvaluateResult> evaluated) {
    Map<Long, Double> perNode = new HashMap<>();
    for (TrainResult r : trained) {
      Double s = r.metrics().get(EncryptedFedAvg.LOCAL_SECONDS);
      if (s != null) {
        perNode.merge(r.participant().nodeId(), s, Double::sum);
      }
    }
    for (EvaluateResult r : evaluated) {
      Double s = r.metrics().get(EncryptedFedAvg.LOCAL_SECONDS);
      if (s != null) {
        perNode.merge(r.participant().nodeId(), s, Double::sum);
      }
    }
    return perNode.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  private static String droppedSummary(List<DroppedReply> dropped) {
    if (dropped.isEmpty()) {
      return "";
    }
    return dropped.stream()
        .map(d -> d.getNodeName() + " (id " + d.getNodeId() + "): " + d.getReason())
        .collect(Collectors.joining("; ", " (dropped: ", ")"));
  }

  private static String labels(List<Participant> nodes) {
    return nodes.isEmpty() ? "none" : nodes.stream().map(Participant::label).collect(Collectors.joining(", "));
  }

  private static String names(List<Participant> nodes) {
    return nodes.isEmpty() ? "none" : nodes.stream().map(Participant::name).collect(Collectors.joining(", "));
  }

  private static String seconds(Duration d) {
    double s = d.toNanos() / 1e9;
    return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
  }

  static io.fedsecure.proto.TensorLayout protoLayout(TensorLayout layout) {
    io.fedsecure.proto.TensorLayout.Builder b = io.fedsecure.proto.TensorLayout.newBuilder();
    for (TensorSpec spec : layout.tensors()) {
      io.fedsecure.proto.TensorSpec.Builder t = io.fedsecure.proto.TensorSpec.newBuilder().setName(spec.name()).setDtype(spec.dtype());
      for (long d : spec.shape()) {
        t.addShape(d);
      }
      b.addTensors(t);
    }
    return b.build();
  }

  /** State of one executing run, owned by its thread except for the stop flag and collector. */
  private final class ActiveRun {
    final long runId;
    final RunConfig config;
    /** Keys are loaded once per run, so a key file replaced mid-run takes effect at the next run. */
    final Map<String, WeightKey> keys = new HashMap<>();
    final Set<Long> skipped = new HashSet<>();
    final Set<String> outstanding = ConcurrentHashMap.newKeySet();
    volatile boolean stopped;
    volatile RoundCollector<?> collector;
    int round;
    byte[] global = new byte[0];
    TensorLayout layout;
    SplittableRandom sampling;
    EncryptedFedAvg fedAvg;

    ActiveRun(long runId, RunConfig config) {
      this.runId = runId;
      this.config = config;
    }

    void closeOutstanding() {
      for (String id : outstanding) {
        dispatcher.close(id, "run " + runId + " ended");
      }
    }
  }

  private static final class RunStoppedException extends Exception {}

  private static final class RunFailedException extends Exception {
    RunFailedException(String message) {
      super(message);
    }
  }
}
