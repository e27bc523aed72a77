package io.fedsecure.loadgen;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The scale results as a table, one row per run, with the scale goals (round overhead at most 3 s
 * and SuperLink peak heap at most 1 GiB at 1,000 nodes; the aggregate exact). As a main: prints the
 * table of a JSON-lines file.
 */
public final class ScaleTable {

  static final double OVERHEAD_GOAL_SECONDS = 3.0;
  static final double HEAP_GOAL_MIB = 1024.0;

  private ScaleTable() {}

  public static void main(String[] args) throws IOException {
    List<Map<String, Object>> rows = ResultLines.read(Path.of(args[0]));
    System.out.println(render(rows));
  }

  static String render(List<Map<String, Object>> rows) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "%6s | %11s | %14s | %9s | %9s | %15s | %13s | %5s | %s%n",
            "nodes",
            "connect (s)",
            "overhead (s)",
            "p50 (ms)",
            "p99 (ms)",
            "SL heap (MiB)",
            "SL CPU (s)",
            "exact",
            "goals"));
    s.append("-".repeat(120)).append('\n');
    for (Map<String, Object> r : rows) {
      double overhead = number(r, "round_overhead_seconds");
      double heap = number(r, "superlink_peak_heap_mib");
      boolean exact = Boolean.TRUE.equals(r.get("aggregate_exact"));
      String goals =
          (overhead <= OVERHEAD_GOAL_SECONDS ? "overhead ok" : "overhead MISSED")
              + ", "
              + (heap <= HEAP_GOAL_MIB ? "heap ok" : "heap MISSED")
              + ", "
              + (exact ? "exact" : "NOT EXACT");
      s.append(
          String.format(
              Locale.ROOT,
              "%6s | %11.2f | %14.3f | %9.1f | %9.1f | %15.0f | %6.1f/%6.1f | %5s | %s%n",
              r.get("nodes"),
              number(r, "connect_seconds"),
              overhead,
              number(r, "latency_p50_ms"),
              number(r, "latency_p99_ms"),
              heap,
              number(r, "superlink_cpu_round_seconds"),
              number(r, "superlink_cpu_total_seconds"),
              exact ? "yes" : "no",
              goals));
    }
    s.append(
        "SL CPU: SuperLink CPU time during the round / since start. Overhead: round wall time minus the slowest"
            + " node's local time.");
    return s.toString();
  }

  private static double number(Map<String, Object> row, String key) {
    return row.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
