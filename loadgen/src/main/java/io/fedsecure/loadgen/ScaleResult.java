package io.fedsecure.loadgen;

import io.fedsecure.proto.control.RoundMetrics;
import io.fedsecure.proto.control.RunInfo;
import io.fedsecure.protocol.weights.SyntheticLayouts;
import io.fedsecure.protocol.weights.TensorLayout;
import java.util.List;
import java.util.Map;

/**
 * The fields of one load-generator result line ({@code docs/bench-results/scale.jsonl}), by what
 * they describe: the measured round, the reply latencies, the SuperLink's heap and the traffic.
 * Seconds and MiB are rounded to three decimals.
 */
final class ScaleResult {

  static final double MIB = 1024.0 * 1024.0;

  private final Map<String, Object> fields;

  ScaleResult(Map<String, Object> fields) {
    this.fields = fields;
  }

  void put(String name, double value) {
    fields.put(name, round3(value));
  }

  /** The run's outcome and its one round: wall time, slowest node, overhead, who took part. */
  void round(RunInfo finished) {
    fields.put("run_id", finished.getRunId());
    fields.put("run_status", finished.getStatus().name());
    if (!finished.getError().isEmpty()) {
      fields.put("run_error", finished.getError());
    }
    if (finished.getRoundsCount() > 0) {
      RoundMetrics round = finished.getRounds(0);
      put("round_wall_seconds", round.getWallSeconds());
      put("slowest_node_seconds", round.getSlowestNodeSeconds());
      put("round_overhead_seconds", overhead(round));
      fields.put("trained_nodes", round.getTrainNodesCount());
      fields.put("evaluated_nodes", round.getEvaluateNodesCount());
      fields.put("dropped", round.getDroppedCount());
    }
  }

  void latencies(LatencyRecorder latencies) {
    List<Long> train = latencies.train();
    fields.put("replies_timed", train.size());
    put("latency_p50_ms", LatencyRecorder.percentileMillis(train, 50));
    put("latency_p99_ms", LatencyRecorder.percentileMillis(train, 99));
    put("latency_max_ms", LatencyRecorder.percentileMillis(train, 100));
    put("train_arrival_spread_seconds", latencies.trainArrivalSpreadSeconds());
    put("train_first_arrival_to_last_reply_seconds", latencies.trainPhaseSeconds());
    fields.put("replies_refused", latencies.refused());
    fields.put("replies_with_error", latencies.errors());
  }

  /** Peak gauges since start-up, and what the GC log says of the collections during the run. */
  void heap(SuperLinkProcess superlink, GcLogSummary gc) throws Exception {
    put("superlink_peak_heap_mib", superlink.metric("fedsecure_jvm_heap_peak_bytes") / MIB);
    put(
        "superlink_live_peak_heap_mib",
        superlink.metric("fedsecure_jvm_heap_live_peak_bytes") / MIB);
    fields.put("superlink_gc_collections_in_run", gc.collections());
    put("superlink_gc_max_before_mib", gc.maxBeforeBytes() / MIB);
    put("superlink_gc_max_after_mib", gc.maxAfterBytes() / MIB);
    put("superlink_gc_pause_seconds", gc.pauseSeconds());
  }

  /**
   * Every trained node moves the model down and its update up; every evaluated node the model down.
   */
  void traffic(RunInfo finished, TensorLayout layout, double superlinkCpuSeconds) {
    if (finished.getRoundsCount() == 0) {
      return;
    }
    RoundMetrics round = finished.getRounds(0);
    double moved =
        (double) SyntheticLayouts.parameterBytes(layout)
            * (2L * round.getTrainNodesCount() + round.getEvaluateNodesCount());
    fields.put("bytes_moved", moved);
    put("wire_mb_per_second", moved / 1e6 / round.getWallSeconds());
    put("superlink_mb_per_cpu_second", moved / 1e6 / superlinkCpuSeconds);
  }

  /** Round wall time minus the slowest node's local time. */
  static double overhead(RoundMetrics round) {
    return round.getWallSeconds()
        - (Double.isFinite(round.getSlowestNodeSeconds()) ? round.getSlowestNodeSeconds() : 0);
  }

  static double round3(double v) {
    return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : v;
  }
}
