package io.fedsecure.superlink.tls;

import io.fedsecure.superlink.config.SuperLinkProperties;
import io.grpc.netty.NettyServerBuilder;
import java.util.concurrent.TimeUnit;

/**
 * What one connection may hold on the Fleet API: concurrent calls, idle time, age, and how fast it
 * may reset streams (HTTP/2 rapid reset). Keep-alive pings are allowed as often as {@code
 * permit-keep-alive-time}, set with the other Fleet options.
 */
public final class FleetTransportLimits {

  private FleetTransportLimits() {}

  public static void apply(
      SuperLinkProperties.ConnectionLimits limits, NettyServerBuilder builder) {
    builder
        .maxConcurrentCallsPerConnection(limits.maxConcurrentCallsPerConnection())
        .maxConnectionIdle(limits.maxConnectionIdle().toMillis(), TimeUnit.MILLISECONDS)
        .maxConnectionAge(limits.maxConnectionAge().toMillis(), TimeUnit.MILLISECONDS)
        .maxConnectionAgeGrace(limits.maxConnectionAgeGrace().toMillis(), TimeUnit.MILLISECONDS)
        .maxRstFramesPerWindow(
            limits.maxRstFramesPerWindow(), (int) limits.rstFramesWindow().toSeconds());
  }
}
