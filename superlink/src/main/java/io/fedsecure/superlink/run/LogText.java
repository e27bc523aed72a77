package io.fedsecure.superlink.run;

import io.fedsecure.superlink.strategy.Participant;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** How run log lines write nodes and durations. */
final class LogText {

  private LogText() {}

  /** "node-1 (id 17), node-2 (id 18)", or "none". */
  static String labels(List<Participant> nodes) {
    return nodes.isEmpty()
        ? "none"
        : nodes.stream().map(Participant::label).collect(Collectors.joining(", "));
  }

  /** "node-1, node-2", or "none". */
  static String names(List<Participant> nodes) {
    return nodes.isEmpty()
        ? "none"
        : nodes.stream().map(Participant::name).collect(Collectors.joining(", "));
  }

  /** Seconds without a fraction when whole: "30", "0.5". */
  static String seconds(Duration d) {
    double s = d.toNanos() / 1e9;
    return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
  }
}
