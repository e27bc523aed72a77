package io.fedsecure.loadgen;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The large-model results as a table, one row per run, with the memory goal: the SuperLink's heap
 * during the round grows by at most {@link #HEAP_GOAL_MODELS} model sizes over its idle baseline,
 * and stays under its -Xmx. As a main: prints the table of a JSON-lines file.
 */
public final class LargeModelTable {

  static final double HEAP_GOAL_MODELS = 3.0;
  private static final double MIB = 1024.0 * 1024.0;

  private LargeModelTable() {}

  public static void main(String[] args) throws IOException {
    List<Map<String, Object>> rows = ResultLines.read(Path.of(args[0]));
    System.out.println(render(rows));
    // --check: the script's exit status carries the memory verdict, not only the run's own checks.
    if (args.length > 1
        && args[1].equals("--check")
        && !rows.stream().allMatch(LargeModelTable::met)) {
      System.exit(1);
    }
  }

  /**
   * The memory goal, two ways: the peak in use (garbage included) over the idle peak, and the most
   * left live after a collection in the round over the idle live set; and the peak under -Xmx.
   */
  static String verdict(Map<String, Object> r) {
    if (!Boolean.TRUE.equals(r.get("ok"))) {
      return "RUN FAILED";
    }
    double goal = HEAP_GOAL_MODELS * number(r, "model_bytes") / MIB;
    double peak = number(r, "superlink_peak_heap_mib");
    double peakGrowth = peak - number(r, "superlink_baseline_peak_heap_mib");
    double liveGrowth =
        number(r, "superlink_gc_max_after_mib") - number(r, "superlink_idle_live_heap_mib");
    double xmx = heapMib(String.valueOf(r.get("superlink_heap_max")));
    return "peak +"
        + (peakGrowth <= goal ? "<=" : "> ")
        + "3x, live +"
        + (liveGrowth <= goal ? "<=" : "> ")
        + "3x, peak "
        + (peak <= xmx ? "<=" : "> ")
        + "Xmx";
  }

  /** True when every part of the {@link #verdict} is met. */
  static boolean met(Map<String, Object> r) {
    return !verdict(r).contains(">") && !verdict(r).equals("RUN FAILED");
  }

  static String render(List<Map<String, Object>> rows) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "%8s | %5s | %7s | %7s | %7s | %6s | %10s | %5s | %17s | %17s | %8s | %5s | %s%n",
            "model MB",
            "nodes",
            "wall s",
            "node s",
            "ovhd s",
            "MB/s",
            "SL MB/CPUs",
            "Xmx",
            "SL peak b/r/+",
            "SL live i/r/+",
            "3x model",
            "exact",
            "verdict"));
    s.append("-".repeat(150)).append('\n');
    for (Map<String, Object> r : rows) {
      double baseline = number(r, "superlink_baseline_peak_heap_mib");
      double peak = number(r, "superlink_peak_heap_mib");
      double idle = number(r, "superlink_idle_live_heap_mib");
      double live = number(r, "superlink_gc_max_after_mib");
      s.append(
          String.format(
              Locale.ROOT,
              "%8.0f | %5s | %7.2f | %7.2f | %7.2f | %6.1f | %10.1f | %5s | %4.0f/%4.0f/%+5.0f | %4.0f/%4.0f/%+5.0f | %8.0f | %5s | %s%n",
              number(r, "model_bytes") / 1e6,
              r.get("nodes"),
              number(r, "round_wall_seconds"),
              number(r, "slowest_node_seconds"),
              number(r, "round_overhead_seconds"),
              number(r, "wire_mb_per_second"),
              number(r, "superlink_mb_per_cpu_second"),
              r.get("superlink_heap_max"),
              baseline,
              peak,
              peak - baseline,
              idle,
              live,
              live - idle,
              HEAP_GOAL_MODELS * number(r, "model_bytes") / MIB,
              Boolean.TRUE.equals(r.get("aggregate_exact")) ? "yes" : "no",
              verdict(r)));
    }
    s.append(
        "MB/s: model bytes x (2 x trained + evaluated nodes) / round wall time. SL MB/CPUs: the same bytes per"
            + " SuperLink CPU second in the round (TLS, sealing, opening, aggregating).\n"
            + "SL peak b/r/+ (MiB): most heap in use at once (garbage included), idle before the run / after it / growth."
            + " SL live i/r/+: heap left after a full GC when idle / most left after a GC in the round / growth.");
    return s.toString();
  }

  /** A -Xmx value (e.g. 600m, 1g, 536870912) in MiB. */
  static double heapMib(String xmx) {
    String v = xmx.trim().toLowerCase(Locale.ROOT);
    if (v.isEmpty()) {
      return Double.NaN;
    }
    char unit = v.charAt(v.length() - 1);
    double n;
    try {
      n = Double.parseDouble(Character.isDigit(unit) ? v : v.substring(0, v.length() - 1));
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
    return switch (unit) {
      case 'k' -> n / 1024;
      case 'm' -> n;
      case 'g' -> n * 1024;
      case 't' -> n * 1024 * 1024;
      default -> Character.isDigit(unit) ? n / MIB : Double.NaN;
    };
  }

  private static double number(Map<String, Object> row, String key) {
    return row.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
