package io.fedsecure.supernode.connection;

import io.fedsecure.supernode.NodeStartupException;
import io.fedsecure.supernode.config.SuperNodeProperties;
import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/** The one channel to the SuperLink: mutual TLS (BoringSSL through netty-tcnative), keepalive. */
public final class FleetChannelFactory {

  private FleetChannelFactory() {}

  public static ManagedChannel create(
      SuperLinkAddress address, NodeCredentials credentials, SuperNodeProperties.Channel settings, boolean insecure) {
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress(address.host(), address.port())
        .maxInboundMessageSize((int) settings.maxInboundMessageSize().toBytes())
        .keepAliveTime(settings.keepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
        .keepAliveTimeout(settings.keepAliveTimeout().toMillis(), TimeUnit.MILLISECONDS)
        // The instruction stream is idle between rounds; pings keep NATs and the SuperLink aware of it.
        .keepAliveWithoutCalls(true);
    if (insecure) {
      builder.usePlaintext();
    } else {
      builder.sslContext(sslContext(credentials));
    }
    return builder.build();
  }

  static SslContext sslContext(NodeCredentials credentials) {
    try {
      return GrpcSslContexts.forClient()
          .protocols("TLSv1.3", "TLSv1.2")
          .trustManager(credentials.rootCertificates().toFile())
          .keyManager(credentials.certificate().toFile(), credentials.certificateKey().toFile())
          .build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new NodeStartupException("cannot use the TLS files --root-certificates " + credentials.rootCertificates()
          + ", --ssl-certfile " + credentials.certificate() + ", --ssl-keyfile " + credentials.certificateKey()
          + ": " + rootMessage(e) + " (the key must be an unencrypted PKCS#8 PEM)");
    }
  }

  static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.replaceAll("\\s+", " ").strip();
  }
}
