package io.fedsecure.superlink.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** {@code fedsecure_fleet_auth_failures_total{reason=...}}: refused Fleet calls by reason. */
@Component
public class AuthFailureMetrics {

  private final MeterRegistry meters;

  public AuthFailureMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  void failed(String reason) {
    Counter.builder("fedsecure.fleet.auth.failures")
        .description("Fleet API calls refused by node authentication")
        .tag("reason", reason)
        .register(meters)
        .increment();
  }
}
