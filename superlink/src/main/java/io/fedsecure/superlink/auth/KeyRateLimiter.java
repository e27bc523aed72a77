package io.fedsecure.superlink.auth;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per node key: {@code burst} calls at once, refilled at {@code perSecond}. Only
 * keys whose signature verified get a bucket, so the map is bounded by the registered nodes.
 * Thread-safe.
 */
final class KeyRateLimiter {

  private final Clock clock;
  private final double perSecond;
  private final double burst;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  KeyRateLimiter(Clock clock, double perSecond, int burst) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException(
          "the per-key rate limit needs a positive rate and a burst of at least 1");
    }
    this.clock = clock;
    this.perSecond = perSecond;
    this.burst = burst;
  }

  /** Takes a token for {@code fingerprint}; false if its bucket is empty. */
  boolean tryAcquire(String fingerprint) {
    return buckets
        .computeIfAbsent(fingerprint, f -> new Bucket(burst, clock.millis()))
        .take(clock.millis());
  }

  double perSecond() {
    return perSecond;
  }

  private final class Bucket {
    private double tokens;
    private long refilledAt;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.refilledAt = now;
    }

    synchronized boolean take(long now) {
      tokens = Math.min(burst, tokens + Math.max(0, now - refilledAt) * perSecond / 1000.0);
      refilledAt = now;
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }
  }
}
