package io.fedsecure.superlink.tls;

import io.fedsecure.crypto.keys.KeyFileException;
import io.fedsecure.crypto.keys.PrivateKeyFiles;
import io.fedsecure.superlink.config.SuperLinkProperties;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;

/**
 * The Fleet API's TLS: BoringSSL (netty-tcnative), TLS 1.3 and 1.2 only, and a client certificate
 * that chains to the federation CA is required before any gRPC frame is read.
 */
public final class FleetServerTls {

  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private FleetServerTls() {}

  public static SslContext serverContext(SuperLinkProperties.Tls tls) {
    try (InputStream certificate = Files.newInputStream(tls.certfile())) {
      byte[] key = PrivateKeyFiles.read(tls.keyfile(), "TLS key", "");
      return GrpcSslContexts.configure(
              SslContextBuilder.forServer(certificate, new ByteArrayInputStream(key)),
              SslProvider.OPENSSL)
          .trustManager(tls.caCertfile().toFile())
          .clientAuth(ClientAuth.REQUIRE)
          .protocols(PROTOCOLS)
          .build();
    } catch (KeyFileException e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot set up the Fleet API's TLS from "
              + tls.certfile()
              + ", "
              + tls.keyfile()
              + " and CA "
              + tls.caCertfile()
              + ": "
              + e.getMessage(),
          e);
    } catch (IllegalArgumentException e) {
      // Netty reports unreadable or non-PKCS#8 PEM this way.
      throw new IllegalStateException(
          "cannot read the Fleet API's certificate or key ("
              + tls.certfile()
              + ", "
              + tls.keyfile()
              + "): "
              + e.getMessage()
              + " (the key must be PKCS#8 PEM)",
          e);
    }
  }
}
