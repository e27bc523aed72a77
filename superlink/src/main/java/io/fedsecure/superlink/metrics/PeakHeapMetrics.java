package io.fedsecure.superlink.metrics;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * {@code fedsecure_jvm_heap_peak_bytes}: the most heap in use at any one moment since start-up,
 * garbage included; {@code fedsecure_jvm_heap_live_peak_bytes}: the most left in use after a
 * collection (an upper bound of what was reachable then). The load generator reads them before and
 * after a round to check the SuperLink's memory goals.
 *
 * <p>Why from collection notifications rather than the pools' own peaks: each pool (eden, survivor,
 * old) peaks at a different moment, so the sum of their peaks overstates the heap's peak, and did
 * so past -Xmx (321 MiB reported under -Xmx256m). Heap use only falls at a collection, so its
 * maxima are the moments just before one, and each notification carries all pools' use at that one
 * instant.
 */
@Component
public class PeakHeapMetrics implements MeterBinder, DisposableBean {

  private final Set<String> heapPools =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(pool -> pool.getType() == MemoryType.HEAP)
          .map(MemoryPoolMXBean::getName)
          .collect(Collectors.toUnmodifiableSet());
  private final AtomicLong peak = new AtomicLong();
  private final AtomicLong livePeak = new AtomicLong();
  private final List<Runnable> unsubscribe = new ArrayList<>();

  public PeakHeapMetrics() {
    this(true);
  }

  /**
   * {@code subscribe=false}: only what {@link #record} is given (tests; the JVM's own collections
   * would interfere).
   */
  PeakHeapMetrics(boolean subscribe) {
    if (!subscribe) {
      return;
    }
    NotificationListener listener = this::onNotification;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        unsubscribe.add(
            () -> {
              try {
                emitter.removeNotificationListener(listener);
              } catch (ListenerNotFoundException e) {
                // Already gone: nothing left to undo.
              }
            });
      }
    }
  }

  @Override
  public void bindTo(MeterRegistry meters) {
    Gauge.builder("fedsecure.jvm.heap.peak", this, PeakHeapMetrics::peakBytes)
        .baseUnit("bytes")
        .description(
            "Most heap in use at one moment since start (just before a collection), garbage included")
        .register(meters);
    Gauge.builder("fedsecure.jvm.heap.live.peak", this, PeakHeapMetrics::livePeakBytes)
        .baseUnit("bytes")
        .description("Most heap still in use right after a collection since start")
        .register(meters);
  }

  public double peakBytes() {
    long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    return Math.max(collectedPeak(), now);
  }

  /** The peak seen by collections alone. */
  long collectedPeak() {
    return peak.get();
  }

  public double livePeakBytes() {
    return livePeak.get();
  }

  private void onNotification(Notification notification, Object handback) {
    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
        notification.getType())) {
      var info =
          GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData())
              .getGcInfo();
      record(info.getMemoryUsageBeforeGc(), info.getMemoryUsageAfterGc());
    }
  }

  /** One collection: every pool's use just before it and just after it. */
  void record(Map<String, MemoryUsage> before, Map<String, MemoryUsage> after) {
    long used = heapUsed(before);
    long left = heapUsed(after);
    peak.accumulateAndGet(Math.max(used, left), Math::max);
    livePeak.accumulateAndGet(left, Math::max);
  }

  private long heapUsed(Map<String, MemoryUsage> pools) {
    long sum = 0;
    for (Map.Entry<String, MemoryUsage> pool : pools.entrySet()) {
      if (heapPools.contains(pool.getKey())) {
        sum += pool.getValue().getUsed();
      }
    }
    return sum;
  }

  @Override
  public void destroy() {
    unsubscribe.forEach(Runnable::run);
  }
}
