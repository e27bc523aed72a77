package io.fedsecure.supernode.connection;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter (uniform in [0, min(cap, base * 2^retry)]): nodes that lost
 * the same SuperLink at the same instant do not all come back at the same instant.
 */
public final class Backoff {
  private final long baseMillis;
  private final long capMillis;
  private final RandomGenerator random;

  public Backoff(Duration base, Duration cap, RandomGenerator random) {
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("reconnect delays need 0 < base-delay <= max-delay");
    }
    this.baseMillis = base.toMillis();
    this.capMillis = cap.toMillis();
    this.random = random;
  }

  /** The wait before retry number {@code retry} (0 for the first retry). */
  public Duration delay(int retry) {
    long ceiling = retry >= 62 ? capMillis : Math.min(capMillis, baseMillis << Math.min(retry, 30));
    return Duration.ofMillis(random.nextLong(ceiling + 1));
  }
}
