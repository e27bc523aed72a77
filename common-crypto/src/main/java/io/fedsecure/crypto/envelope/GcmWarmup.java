package io.fedsecure.crypto.envelope;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.util.Locale;

/**
 * Keeps sealing and opening envelopes of a given size until the JDK's AES-GCM runs on its compiled
 * AES-NI/carry-less-multiply path, and says whether it got there.
 *
 * <p>Why a measured end and not a fixed count: SunJCE's GCM reaches its fast path only once C2 has
 * compiled the callers of the intrinsic stubs (about 500 model-sized pairs from cold; 70 MB/s
 * before, 4 GB/s after, on this project's 2-core machines). On a loaded machine the compile queue
 * lags: HotSpot drops queued tasks of methods that stopped being called, so a fixed-count warm-up
 * that ends before the compiler catches up leaves the code slow. That happened at 1,000 nodes: 30%
 * of the SuperLink's round was AES-CTR in Java. Checking the achieved rate, by thread CPU time so
 * that other busy threads do not distort it, removes the guess.
 */
public final class GcmWarmup {

  /**
   * Seal plus open per CPU-second above which the compiled path is in use; the Java code peaks near
   * 400.
   */
  public static final double FAST_MB_PER_CPU_SECOND = 1000;

  /** Consecutive fast measurements required, so that one lucky sample does not end it. */
  static final int FAST_IN_A_ROW = 3;

  /**
   * Small envelopes per model-sized one: many calls reach compile thresholds, the large one keeps
   * the code valid for large sizes.
   */
  static final int SMALL_PER_ROUND = 8;

  static final int SMALL_BYTES = 4 * 1024;

  private static final int STREAM_CHUNK = 64 * 1024;

  /** What the warm-up achieved: rounds run, and the last measured seal+open rate. */
  public record Outcome(int rounds, double mbPerCpuSecond, boolean fast) {
    public String describe() {
      return String.format(
          Locale.ROOT,
          "AES-GCM %s after %d rounds (%.0f MB per CPU-second for seal+open)",
          fast ? "on its compiled path" : "NOT yet on its compiled path",
          rounds,
          mbPerCpuSecond);
    }
  }

  private GcmWarmup() {}

  /**
   * Runs until the rate of a {@code messageBytes} seal+open pair stays at or above {@link
   * #FAST_MB_PER_CPU_SECOND}, or until {@code deadlineNanos} ({@link System#nanoTime()}).
   */
  public static Outcome run(int messageBytes, long deadlineNanos) {
    if (messageBytes <= 0) {
      throw new IllegalArgumentException("message size must be positive, got " + messageBytes);
    }
    SecureRandom random = new SecureRandom();
    byte[] rawKey = new byte[32];
    random.nextBytes(rawKey);
    WeightKey key = WeightKey.fromBytes(rawKey);
    EnvelopeCipher cipher = new EnvelopeCipher();
    byte[] message = new byte[messageBytes];
    random.nextBytes(message);
    byte[] small = new byte[SMALL_BYTES];
    byte[] chunk = new byte[STREAM_CHUNK];
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    boolean cpuClock = threads.isCurrentThreadCpuTimeSupported();
    int rounds = 0;
    int fastInARow = 0;
    double rate = 0;
    while (System.nanoTime() < deadlineNanos) {
      rounds++;
      EnvelopeContext context =
          new EnvelopeContext(
              0, rounds, 0, Direction.SUPERLINK_TO_NODE, MessageKind.TRAIN, new byte[32]);
      try {
        for (int j = 0; j < SMALL_PER_ROUND; j++) {
          cipher.open(key, context, cipher.seal(key, context, small));
        }
        long start = cpuClock ? threads.getCurrentThreadCpuTime() : System.nanoTime();
        // The streaming forms, as the daemons use them: sealed a segment at a time, opened from
        // chunks.
        EnvelopeSealer sealer = cipher.sealStream(key, context, message);
        EnvelopeOpener opener = cipher.openStream(key, context);
        int n;
        while ((n = sealer.read(chunk, 0, chunk.length)) > 0) {
          opener.update(chunk, 0, n, (plain, len) -> {});
        }
        opener.finish();
        long spent =
            Math.max(1, (cpuClock ? threads.getCurrentThreadCpuTime() : System.nanoTime()) - start);
        rate = 2.0 * messageBytes / 1e6 / (spent / 1e9);
      } catch (EnvelopeException e) {
        throw new IllegalStateException(
            "an envelope sealed here did not open: " + e.getMessage(), e);
      }
      fastInARow = rate >= FAST_MB_PER_CPU_SECOND ? fastInARow + 1 : 0;
      if (fastInARow >= FAST_IN_A_ROW) {
        return new Outcome(rounds, rate, true);
      }
    }
    return new Outcome(rounds, rate, false);
  }
}
