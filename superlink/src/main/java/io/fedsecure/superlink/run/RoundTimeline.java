package io.fedsecure.superlink.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where one round's wall time goes: the engine's steps and each node's messages as offsets from the
 * round's start, logged at INFO once per round. The overhead the benchmark reports (wall minus the
 * slowest node's own time) is only actionable when it can be split into sealing, transfer, waiting,
 * aggregation and bookkeeping, and across processes; hence per node: when its instruction was
 * queued and fully handed to the transport, when its reply began and was accepted, and what it
 * reported as local time, so that the rest is that node's round trip outside its own work.
 */
final class RoundTimeline {

  private final long start = System.nanoTime();
  private final List<String> steps = new ArrayList<>();

  /** Written by gRPC threads (sent, reply), read by the engine after the phase closed. */
  private final Map<String, long[]> nodes = new ConcurrentHashMap<>();

  private static final int QUEUED = 0;
  private static final int SENT = 1;
  private static final int REPLY_STARTED = 2;
  private static final int REPLY_DONE = 3;

  /** Marks a step of the engine's thread. */
  void step(String name) {
    steps.add(name + " " + millis(System.nanoTime()));
  }

  void queued(String instructionId) {
    event(instructionId, QUEUED);
  }

  void sent(String instructionId) {
    event(instructionId, SENT);
  }

  void replyStarted(String instructionId) {
    event(instructionId, REPLY_STARTED);
  }

  void replyDone(String instructionId) {
    event(instructionId, REPLY_DONE);
  }

  private void event(String instructionId, int which) {
    long now = System.nanoTime();
    nodes.computeIfAbsent(instructionId, id -> new long[] {-1, -1, -1, -1})[which] = now;
  }

  /**
   * One node's exchange in a phase: "queued/sent/reply-start/reply-done" offsets and, with its
   * reported local time, the part of queued..reply-done it did not account for.
   */
  String node(String label, String instructionId, Double localSeconds) {
    long[] t = nodes.get(instructionId);
    if (t == null) {
      return label + " (no events)";
    }
    StringBuilder b =
        new StringBuilder(label)
            .append(" q")
            .append(millis(t[QUEUED]))
            .append(" s")
            .append(millis(t[SENT]))
            .append(" r")
            .append(millis(t[REPLY_STARTED]))
            .append(" d")
            .append(millis(t[REPLY_DONE]));
    if (localSeconds != null && t[QUEUED] >= 0 && t[REPLY_DONE] >= 0) {
      double trip = (t[REPLY_DONE] - t[QUEUED]) / 1e6;
      b.append(
          String.format(
              Locale.ROOT,
              " local %.0f outside %.0f",
              localSeconds * 1000,
              trip - localSeconds * 1000));
    }
    return b.toString();
  }

  String steps() {
    return String.join(", ", steps);
  }

  private String millis(long nanos) {
    return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.1f", (nanos - start) / 1e6);
  }
}
