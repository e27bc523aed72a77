package io.fedsecure.superlink.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.fedsecure.crypto.keys.EcKeys;
import io.fedsecure.crypto.testing.TestPki;
import io.fedsecure.proto.control.RegisterNodeResponse;
import io.fedsecure.proto.fleet.FleetGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * SuperNode side of the tests: registers nodes (as the operator) and opens signed Fleet channels.
 */
public final class FleetClient implements AutoCloseable {

  private final SuperLinkFixture superlink;
  private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();

  FleetClient(SuperLinkFixture superlink) {
    this.superlink = superlink;
  }

  /** Registers a fresh P-384 key; {@code name} may be empty. */
  public TestNode register(String name) throws IOException, InterruptedException {
    KeyPair keys = EcKeys.generateP384();
    String body =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .writeValueAsString(
                Map.of("publicKey", EcKeys.toPemPublic(keys.getPublic()), "name", name));
    HttpResponse<String> response = superlink.operatorClient().post("v1/nodes", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    RegisterNodeResponse.Builder parsed = RegisterNodeResponse.newBuilder();
    JsonFormat.parser().merge(response.body(), parsed);
    return new TestNode(keys, parsed.getNodeId(), name);
  }

  /** A mutual-TLS channel presenting {@code certificate}, trusting the SuperLink's CA. */
  public ManagedChannel channel(TestPki.ClientFiles certificate) {
    try {
      SslContext ssl =
          GrpcSslContexts.forClient()
              .trustManager(superlink.pki().caCertFile().toFile())
              .keyManager(certificate.certFile().toFile(), certificate.keyFile().toFile())
              .build();
      return track(
          NettyChannelBuilder.forAddress("127.0.0.1", superlink.fleetPort())
              .sslContext(ssl)
              .build());
    } catch (SSLException e) {
      throw new IllegalStateException(e);
    }
  }

  public ManagedChannel channel() {
    return channel(superlink.nodeCertificate());
  }

  public ManagedChannel track(ManagedChannel channel) {
    channels.add(channel);
    return channel;
  }

  public FleetGrpc.FleetBlockingStub blocking(TestNode node) {
    return blocking(channel(), new SigningInterceptor(node.signer()));
  }

  public FleetGrpc.FleetBlockingStub blocking(ManagedChannel channel, SigningInterceptor signing) {
    return FleetGrpc.newBlockingStub(channel)
        .withInterceptors(signing)
        .withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  public FleetGrpc.FleetStub async(TestNode node) {
    return FleetGrpc.newStub(channel()).withInterceptors(new SigningInterceptor(node.signer()));
  }

  @Override
  public void close() {
    channels.forEach(ManagedChannel::shutdownNow);
  }
}
