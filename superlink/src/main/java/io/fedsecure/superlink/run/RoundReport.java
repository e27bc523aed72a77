package io.fedsecure.superlink.run;

import io.fedsecure.proto.control.DroppedReply;
import io.fedsecure.proto.control.RoundMetrics;
import io.fedsecure.protocol.MetricNames;
import io.fedsecure.superlink.strategy.CountedReply;
import io.fedsecure.superlink.strategy.EncryptedFedAvg;
import io.fedsecure.superlink.strategy.Phase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a finished round reports: its stored metrics, the "Round N done" line and the timing
 * breakdown.
 */
final class RoundReport {

  private static final Logger log = LoggerFactory.getLogger(RoundReport.class);

  private final RunRepository repository;
  private final RunLog runLog;

  RoundReport(RunRepository repository, RunLog runLog) {
    this.repository = repository;
    this.runLog = runLog;
  }

  /**
   * A round's two phases.
   *
   * @param evaluate null when the round had no evaluation
   */
  record Outcome(
      int round,
      PhaseReplies train,
      PhaseReplies evaluate,
      double wallSeconds,
      RoundTimeline timeline) {

    List<CountedReply> evaluated() {
      return evaluate == null ? List.of() : evaluate.accepted();
    }

    List<DroppedReply> dropped() {
      List<DroppedReply> dropped = new ArrayList<>(train.dropped());
      if (evaluate != null) {
        dropped.addAll(evaluate.dropped());
      }
      return dropped;
    }
  }

  /** Stores the round's metrics and logs them; returns them. */
  RoundMetrics record(ActiveRun run, Outcome outcome) {
    List<CountedReply> trained = outcome.train().accepted();
    List<CountedReply> evaluated = outcome.evaluated();
    List<DroppedReply> dropped = outcome.dropped();
    EncryptedFedAvg.EvaluateAggregate evalAggregate = EncryptedFedAvg.aggregateEvaluate(evaluated);
    double trainLoss = EncryptedFedAvg.trainLoss(trained);
    double slowest = slowestNodeSeconds(trained, evaluated);
    RoundMetrics metrics =
        RoundMetrics.newBuilder()
            .setRound(outcome.round())
            .addAllTrainNodes(trained.stream().map(r -> r.participant().name()).toList())
            .setTrainLoss(trainLoss)
            .addAllEvaluateNodes(evaluated.stream().map(r -> r.participant().name()).toList())
            .setEvalLoss(evalAggregate.loss())
            .setEvalAccuracy(evalAggregate.accuracy())
            .addAllDropped(dropped)
            .setWallSeconds(outcome.wallSeconds())
            .setSlowestNodeSeconds(slowest)
            .build();
    repository.saveRound(run.runId, metrics);
    outcome.timeline().step("saved");
    runLog.append(
        run.runId,
        String.format(
            Locale.ROOT,
            "Round %d done in %.2f s: trained on %s (train_loss %.4f); evaluated on %s (eval_loss %.4f, eval_accuracy %.4f);"
                + " dropped %d; slowest node %.2f s",
            outcome.round(),
            outcome.wallSeconds(),
            LogText.names(trained.stream().map(CountedReply::participant).toList()),
            trainLoss,
            evaluated.isEmpty()
                ? "no node"
                : LogText.names(evaluated.stream().map(CountedReply::participant).toList()),
            evalAggregate.loss(),
            evalAggregate.accuracy(),
            dropped.size(),
            slowest));
    outcome.timeline().step("logged");
    logTimeline(run, outcome, slowest);
    return metrics;
  }

  private static double slowestNodeSeconds(
      List<CountedReply> trained, List<CountedReply> evaluated) {
    Map<Long, Double> perNode = new HashMap<>();
    for (List<CountedReply> phase : List.of(trained, evaluated)) {
      for (CountedReply r : phase) {
        Double s = r.metrics().get(MetricNames.LOCAL_SECONDS);
        if (s != null) {
          perNode.merge(r.participant().nodeId(), s, Double::sum);
        }
      }
    }
    return perNode.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  /**
   * The round's timing breakdown (see {@link RoundTimeline}), plus the part of the overhead that is
   * the phase barrier itself: evaluation waits for the slowest trainer, so wall time is at least
   * slowest train + slowest evaluate, which exceeds the slowest node's train + evaluate when
   * different nodes are slowest in each phase.
   */
  private static void logTimeline(ActiveRun run, Outcome outcome, double slowest) {
    if (!log.isInfoEnabled()) {
      return;
    }
    StringBuilder b = new StringBuilder();
    double maxTrain = nodeTimes(run, outcome, Phase.TRAIN, b);
    double maxEval = nodeTimes(run, outcome, Phase.EVALUATE, b);
    double wall = outcome.wallSeconds();
    log.info(
        String.format(
            Locale.ROOT,
            "[run %d] Round %d timing (ms from round start): %s%s; wall %.1f, slowest node %.1f, overhead %.1f"
                + " of which phase barrier %.1f",
            run.runId,
            outcome.round(),
            outcome.timeline().steps(),
            b,
            wall * 1000,
            slowest * 1000,
            (wall - slowest) * 1000,
            (maxTrain + maxEval - slowest) * 1000));
  }

  /**
   * Appends each counted node's exchange in {@code phase} to {@code b}; returns the phase's longest
   * local time.
   */
  private static double nodeTimes(ActiveRun run, Outcome outcome, Phase phase, StringBuilder b) {
    List<CountedReply> replies =
        phase == Phase.TRAIN ? outcome.train().accepted() : outcome.evaluated();
    double max = 0;
    for (CountedReply r : replies) {
      Double local = r.metrics().get(MetricNames.LOCAL_SECONDS);
      max = Math.max(max, local == null ? 0 : local);
      b.append("; ")
          .append(phase)
          .append(' ')
          .append(outcome.timeline().node(r.participant().name(), r.instructionId(), local));
    }
    return max;
  }
}
