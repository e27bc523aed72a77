package io.fedsecure.superlink.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * {@code fedsecure_jvm_heap_peak_bytes}: the sum over the heap's memory pools of each pool's peak
 * use since the JVM started. Pools peak at different moments, so this bounds the true peak from
 * above; the load generator reads it after a round to check the SuperLink's memory goal.
 */
@Component
public class PeakHeapMetrics implements MeterBinder {

  private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(pool -> pool.getType() == MemoryType.HEAP)
      .toList();

  @Override
  public void bindTo(MeterRegistry meters) {
    Gauge.builder("fedsecure.jvm.heap.peak", this, PeakHeapMetrics::peakBytes)
        .baseUnit("bytes")
        .description("Sum of the heap memory pools' peak usage since start")
        .register(meters);
  }

  public double peakBytes() {
    return heapPools.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
  }
}
