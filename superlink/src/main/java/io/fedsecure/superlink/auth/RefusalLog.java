package io.fedsecure.superlink.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs refused Fleet calls at most once per caller per interval: the first refusal in an interval
 * is logged with the count of those left unlogged in the interval before, the rest only counted. A
 * flooding caller costs one line per interval, not one per call. Thread-safe.
 */
final class RefusalLog {

  private static final Logger log = LoggerFactory.getLogger(NodeAuthInterceptor.class);

  /** Callers remembered at once; beyond, those quiet for an interval are forgotten. */
  private static final int MAX_CALLERS = 10_000;

  private final Clock clock;
  private final long intervalMillis;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  RefusalLog(Clock clock, Duration interval) {
    this.clock = clock;
    this.intervalMillis = interval.toMillis();
  }

  /**
   * @param caller a key fingerprint or, before the key is known, the peer address
   */
  void refused(String caller, String what) {
    long now = clock.millis();
    if (windows.size() >= MAX_CALLERS) {
      windows.values().removeIf(w -> w.quietSince(now - intervalMillis));
    }
    int unlogged = windows.computeIfAbsent(caller, c -> new Window()).admit(now, intervalMillis);
    if (unlogged >= 0) {
      log.warn(
          "Refused {} from {}{}",
          what,
          caller,
          unlogged == 0
              ? ""
              : " (and "
                  + unlogged
                  + " more refusals unlogged in the "
                  + intervalMillis / 1000
                  + " s before)");
    }
  }

  private static final class Window {
    private long start = Long.MIN_VALUE;
    private int unlogged;

    /**
     * The refusals left unlogged in the interval now ending, or -1 if this one stays unlogged too.
     */
    synchronized int admit(long now, long intervalMillis) {
      if (start != Long.MIN_VALUE && now - start < intervalMillis) {
        unlogged++;
        return -1;
      }
      int previous = unlogged;
      start = now;
      unlogged = 0;
      return previous;
    }

    synchronized boolean quietSince(long cutoff) {
      return start < cutoff;
    }
  }
}
