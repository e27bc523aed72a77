package io.fedsecure.superlink.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Everything the SuperLink is configured with under {@code superlink.*}. Defaults live in
 * application.yml; the command line ({@link SuperLinkOptions}) overrides them.
 *
 * @param insecure development only: plaintext on the Fleet and Control ports
 * @param database SQLite file path, or {@code :memory:}
 * @param encryptionKeysDir where {@code <node-name>_key.bin} weight keys live (read by the run
 *     engine)
 * @param portFile if set, the bound ports are written there as JSON once the SuperLink is ready
 */
@ConfigurationProperties("superlink")
public record SuperLinkProperties(
    boolean insecure,
    Tls tls,
    String database,
    Path encryptionKeysDir,
    Path portFile,
    FleetApi fleetApi,
    ControlApi controlApi,
    NodeAuth nodeAuth,
    Liveness liveness) {

  /**
   * PEM files shared by both APIs: the federation CA, the server certificate and its PKCS#8 key.
   */
  public record Tls(Path caCertfile, Path certfile, Path keyfile) {}

  /**
   * @param address host:port to bind, port 0 for an ephemeral one
   * @param maxInboundMessageSize largest gRPC message accepted (8 MiB in application.yml); chunks
   *     are at most 1 MiB
   * @param permitKeepAliveTime must not exceed the nodes' keepalive interval or they get GOAWAY
   * @param maxReplyPayload largest reassembled encrypted model update accepted in one reply
   * @param shutdownGracePeriod how long in-flight calls may finish when the SuperLink stops
   * @param limits what one connection or client certificate may hold
   */
  public record FleetApi(
      String address,
      DataSize maxInboundMessageSize,
      Duration permitKeepAliveTime,
      Duration handshakeTimeout,
      DataSize maxReplyPayload,
      Duration shutdownGracePeriod,
      ConnectionLimits limits) {

    public int maxConnectionsPerCertificate() {
      return limits.maxConnectionsPerCertificate();
    }
  }

  /**
   * Transport limits of the Fleet API.
   *
   * @param maxConcurrentCallsPerConnection HTTP/2 streams one connection may have open at once
   * @param maxConnectionIdle a connection without calls for this long is closed
   * @param maxConnectionAge a connection is asked to reconnect after this long...
   * @param maxConnectionAgeGrace ...and closed this much later, its calls ended
   * @param maxRstFramesPerWindow RST_STREAM frames a connection may send per window (HTTP/2 rapid
   *     reset)
   * @param rstFramesWindow that window
   * @param maxConnectionsPerCertificate connections one client certificate may hold; calls on more
   *     are refused
   */
  public record ConnectionLimits(
      int maxConcurrentCallsPerConnection,
      Duration maxConnectionIdle,
      Duration maxConnectionAge,
      Duration maxConnectionAgeGrace,
      int maxRstFramesPerWindow,
      Duration rstFramesWindow,
      int maxConnectionsPerCertificate) {}

  /**
   * @param maxRequestBody cap on every request body under /v1 (registering a key needs a few KB)
   */
  public record ControlApi(DataSize maxRequestBody) {}

  /**
   * Request-signature checks on the Fleet API.
   *
   * @param maxClockAhead how far a signed timestamp may be ahead of the SuperLink's clock
   * @param maxClockBehind how old it may be; nonces are remembered this long
   * @param replayCacheCapacity nonces remembered at once; when full, requests are refused
   * @param replayCachePerKey nonces remembered at once for one node key; beyond, that key is
   *     refused
   * @param requestsPerSecondPerKey sustained Fleet calls per node key; beyond, its calls are
   *     refused
   * @param requestBurstPerKey calls one key may make at once before the sustained rate applies
   * @param refusalLogInterval refused calls are logged once per caller per interval, the rest
   *     counted
   */
  public record NodeAuth(
      Duration maxClockAhead,
      Duration maxClockBehind,
      int replayCacheCapacity,
      int replayCachePerKey,
      double requestsPerSecondPerKey,
      int requestBurstPerKey,
      Duration refusalLogInterval) {}

  /**
   * @param heartbeatInterval what nodes are told to use between heartbeats
   * @param nodePatience an ONLINE node not heard from for this long is marked OFFLINE
   * @param checkInterval how often that is checked; null: derived from the patience
   */
  public record Liveness(
      Duration heartbeatInterval, Duration nodePatience, Duration checkInterval) {}
}
