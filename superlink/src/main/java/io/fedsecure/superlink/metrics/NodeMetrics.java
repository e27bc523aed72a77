package io.fedsecure.superlink.metrics;

import io.fedsecure.superlink.registry.JdbcNodeRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/** {@code fedsecure_nodes_online}: how many registered nodes are online, read at scrape time. */
@Component
public class NodeMetrics implements MeterBinder {

  private final JdbcNodeRegistry registry;

  public NodeMetrics(JdbcNodeRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void bindTo(MeterRegistry meters) {
    Gauge.builder("fedsecure.nodes.online", registry, JdbcNodeRegistry::countOnline)
        .description("Registered SuperNodes that are online")
        .register(meters);
  }
}
