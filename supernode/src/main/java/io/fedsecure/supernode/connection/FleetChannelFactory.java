package io.fedsecure.supernode.connection;

import io.fedsecure.crypto.keys.KeyFileException;
import io.fedsecure.crypto.keys.PrivateKeyFiles;
import io.fedsecure.supernode.NodeStartupException;
import io.fedsecure.supernode.config.SuperNodeProperties;
import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/** The one channel to the SuperLink: mutual TLS (BoringSSL through netty-tcnative), keepalive. */
public final class FleetChannelFactory {

  private FleetChannelFactory() {}

  public static ManagedChannel create(
      SuperLinkAddress address,
      NodeCredentials credentials,
      SuperNodeProperties.Channel settings,
      boolean insecure) {
    NettyChannelBuilder builder =
        NettyChannelBuilder.forAddress(address.host(), address.port())
            .maxInboundMessageSize((int) settings.maxInboundMessageSize().toBytes())
            .keepAliveTime(settings.keepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
            .keepAliveTimeout(settings.keepAliveTimeout().toMillis(), TimeUnit.MILLISECONDS)
            // The instruction stream is idle between rounds; pings keep NATs and the SuperLink
            // aware of it.
            .keepAliveWithoutCalls(true);
    if (insecure) {
      builder.usePlaintext();
    } else {
      builder.sslContext(sslContext(credentials));
    }
    return builder.build();
  }

  static SslContext sslContext(NodeCredentials credentials) {
    byte[] key;
    try {
      key = PrivateKeyFiles.read(credentials.certificateKey(), "TLS key", "");
    } catch (KeyFileException e) {
      throw new NodeStartupException("--ssl-keyfile: " + e.getMessage());
    }
    try (InputStream certificate = Files.newInputStream(credentials.certificate())) {
      return GrpcSslContexts.forClient()
          .protocols("TLSv1.3", "TLSv1.2")
          .trustManager(credentials.rootCertificates().toFile())
          .keyManager(certificate, new ByteArrayInputStream(key))
          .build();
    } catch (IOException | IllegalArgumentException e) {
      throw new NodeStartupException(
          "cannot use the TLS files --root-certificates "
              + credentials.rootCertificates()
              + ", --ssl-certfile "
              + credentials.certificate()
              + ", --ssl-keyfile "
              + credentials.certificateKey()
              + ": "
              + rootMessage(e)
              + " (the key must be an unencrypted PKCS#8 PEM)");
    }
  }

  static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.replaceAll("\\s+", " ").strip();
  }
}
