package io.fedsecure.superlink.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PeakHeapMetricsTest {

  private static final long MIB = 1 << 20;
  private final PeakHeapMetrics metrics = new PeakHeapMetrics(false);
  private final List<String> heap =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP)
          .map(MemoryPoolMXBean::getName)
          .toList();

  @AfterEach
  void unsubscribe() {
    metrics.destroy();
  }

  /**
   * Pool use at one instant: the first heap pool gets {@code first} MiB, the second {@code second},
   * plus non-heap.
   */
  private Map<String, MemoryUsage> pools(long first, long second) {
    Map<String, MemoryUsage> m = new HashMap<>();
    m.put(heap.get(0), new MemoryUsage(0, first * MIB, first * MIB, -1));
    m.put(heap.get(1), new MemoryUsage(0, second * MIB, second * MIB, -1));
    m.put("Metaspace (not heap)", new MemoryUsage(0, 900 * MIB, 900 * MIB, -1));
    return m;
  }

  @Test
  void thePeakIsTheLargestTotalAtOneMomentNotTheSumOfEachPoolsPeak() {
    assertThat(heap).as("heap pools of this JVM's collector").hasSizeGreaterThanOrEqualTo(2);
    // Pool 0 peaks at 300 in the first collection, pool 1 at 250 in the second: never both at once.
    metrics.record(pools(300, 10), pools(0, 40));
    metrics.record(pools(200, 250), pools(0, 260));

    assertThat(metrics.collectedPeak()).isEqualTo(450 * MIB);
    assertThat(metrics.livePeakBytes()).isEqualTo(260.0 * MIB);
    assertThat(metrics.peakBytes()).isGreaterThanOrEqualTo(450.0 * MIB);
  }

  @Test
  void theCurrentUseCountsBeforeAnyCollection() {
    assertThat(metrics.collectedPeak()).isZero();
    assertThat(metrics.peakBytes()).isPositive();
    assertThat(metrics.livePeakBytes()).isZero();
  }
}
