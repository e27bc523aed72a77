package io.fedsecure.supernode.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The node's settings. The first group comes from the command line (main() copies the picocli
 * options into {@code fedsecure.supernode.*}); the nested groups are tuning, set in
 * application.yml.
 *
 * @param superlink HOST:PORT of the SuperLink's Fleet API
 * @param sslCertfile the node's TLS client certificate; null means certificates/&lt;node-id&gt;.pem
 * @param maxRetries reconnection attempts after a failed one before giving up; 0 = unlimited
 * @param maxWaitTime total time to keep retrying one connection loss; zero = unlimited
 * @param heartbeatInterval what the node proposes on activation; the SuperLink's answer wins
 */
@ConfigurationProperties("fedsecure.supernode")
public record SuperNodeProperties(
    @DefaultValue("127.0.0.1:9092") String superlink,
    Path rootCertificates,
    Path authSupernodePrivateKey,
    Path sslCertfile,
    Path sslKeyfile,
    String nodeConfig,
    @DefaultValue("0") int maxRetries,
    @DefaultValue("0s") Duration maxWaitTime,
    @DefaultValue("false") boolean insecure,
    @DefaultValue("20s") Duration heartbeatInterval,
    @DefaultValue Reconnect reconnect,
    @DefaultValue Channel channel,
    @DefaultValue Tasks tasks) {

  /** Exponential backoff with full jitter between reconnection attempts. */
  public record Reconnect(
      @DefaultValue("1s") Duration baseDelay, @DefaultValue("30s") Duration maxDelay) {}

  /**
   * @param keepAliveTime HTTP/2 ping interval; the SuperLink's permitKeepAliveTime must not exceed
   *     it
   * @param callTimeout deadline of the unary calls (activate, heartbeat, deactivate)
   */
  public record Channel(
      @DefaultValue("8MB") DataSize maxInboundMessageSize,
      @DefaultValue("30s") Duration keepAliveTime,
      @DefaultValue("20s") Duration keepAliveTimeout,
      @DefaultValue("15s") Duration callTimeout) {}

  /**
   * @param chunkSize payload chunk size in replies (the contract allows at most 1 MiB)
   * @param maxPayloadSize the largest encrypted model the node accepts, to bound memory
   * @param pushTimeout deadline of one PushReply call
   */
  public record Tasks(
      @DefaultValue("1MB") DataSize chunkSize,
      @DefaultValue("256MB") DataSize maxPayloadSize,
      @DefaultValue("60s") Duration pushTimeout) {}

  public boolean unlimitedRetries() {
    return maxRetries <= 0;
  }
}
