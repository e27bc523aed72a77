package io.fedsecure.superlink.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsecure.crypto.pki.ClientRole;
import io.fedsecure.crypto.testing.TestPki;
import io.fedsecure.proto.fleet.FleetGrpc;
import io.fedsecure.proto.fleet.HeartbeatRequest;
import io.fedsecure.superlink.config.SuperLinkProperties;
import io.fedsecure.superlink.support.FleetClient;
import io.fedsecure.superlink.support.SharedSuperLink;
import io.fedsecure.superlink.support.SigningInterceptor;
import io.fedsecure.superlink.support.SuperLinkFixture;
import io.fedsecure.superlink.support.TestNode;
import io.fedsecure.superlink.tls.FleetServerTls;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Fleet API's TLS layer: who gets to the gRPC layer at all. */
@ExtendWith(SharedSuperLink.class)
class FleetTlsTest {

  private final SuperLinkFixture superlink;
  private FleetClient fleet;
  private TestNode node;

  FleetTlsTest(SuperLinkFixture superlink) {
    this.superlink = superlink;
  }

  @BeforeEach
  void registerNode() throws Exception {
    fleet = superlink.fleet();
    node = fleet.register("");
  }

  @AfterEach
  void closeClient() {
    fleet.close();
  }

  private void assertUnavailable(ManagedChannel channel) {
    FleetGrpc.FleetBlockingStub stub =
        fleet.blocking(channel, new SigningInterceptor(node.signer()));
    assertThatThrownBy(
            () ->
                stub.sendHeartbeat(HeartbeatRequest.newBuilder().setNodeId(node.nodeId()).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void theNodesOwnCertificateGetsThrough() {
    FleetGrpc.FleetBlockingStub stub =
        fleet.blocking(fleet.channel(), new SigningInterceptor(node.signer()));
    assertThat(
            stub.sendHeartbeat(HeartbeatRequest.newBuilder().setNodeId(node.nodeId()).build())
                .getOk())
        .isTrue();
  }

  @Test
  void clientWithoutCertificateIsRefused() throws Exception {
    SslContext noCertificate =
        GrpcSslContexts.forClient().trustManager(superlink.pki().caCertFile().toFile()).build();
    assertUnavailable(
        fleet.track(
            NettyChannelBuilder.forAddress("127.0.0.1", superlink.fleetPort())
                .sslContext(noCertificate)
                .build()));
  }

  @Test
  void clientCertificateFromAnotherCaIsRefused(@TempDir Path otherDir) {
    TestPki other = TestPki.create(otherDir);
    TestPki.ClientFiles foreign = other.client("intruder", ClientRole.SUPERNODE);
    assertUnavailable(fleet.channel(foreign));
  }

  @Test
  void plaintextClientIsRefused() {
    assertUnavailable(
        fleet.track(
            NettyChannelBuilder.forAddress("127.0.0.1", superlink.fleetPort())
                .usePlaintext()
                .build()));
  }

  @Test
  void nodeRefusesAServerCertificateFromAnotherCaAndSendsNothing(@TempDir Path otherDir)
      throws Exception {
    TestPki impostor = TestPki.create(otherDir);
    AtomicInteger callsSeen = new AtomicInteger();
    ServerInterceptor counting =
        new ServerInterceptor() {
          @Override
          public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
              ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
            callsSeen.incrementAndGet();
            return next.startCall(call, headers);
          }
        };
    // The impostor would even accept the node's certificate; the node must still refuse it.
    SuperLinkProperties.Tls tls =
        new SuperLinkProperties.Tls(
            superlink.pki().caCertFile(), impostor.serverCertFile(), impostor.serverKeyFile());
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .sslContext(FleetServerTls.serverContext(tls))
            .addService(ServerInterceptors.intercept(new FleetGrpc.FleetImplBase() {}, counting))
            .build()
            .start();
    try {
      SslContext nodeTls =
          GrpcSslContexts.forClient()
              .trustManager(superlink.pki().caCertFile().toFile())
              .keyManager(
                  superlink.nodeCertificate().certFile().toFile(),
                  superlink.nodeCertificate().keyFile().toFile())
              .build();
      int port = ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
      assertUnavailable(
          fleet.track(
              NettyChannelBuilder.forAddress("127.0.0.1", port).sslContext(nodeTls).build()));
      assertThat(callsSeen).hasValue(0);
    } finally {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
  void modernTlsVersionsHandshake(String protocol) throws Exception {
    assertThat(handshake(protocol)).isNull();
  }

  @Test
  void tls11IsRefused() throws Exception {
    Throwable failure = handshake("TLSv1.1");
    assertThat(failure).isNotNull();
    assertThat(failure.toString()).containsIgnoringCase("protocol");
  }

  /** A bare TLS handshake (no HTTP/2) offering only {@code protocol}; null if it succeeded. */
  private Throwable handshake(String protocol) throws Exception {
    SslContext ssl =
        SslContextBuilder.forClient()
            .sslProvider(SslProvider.OPENSSL)
            .protocols(protocol)
            .trustManager(superlink.pki().caCertFile().toFile())
            .keyManager(
                superlink.nodeCertificate().certFile().toFile(),
                superlink.nodeCertificate().keyFile().toFile())
            .build();
    EventLoopGroup group = new NioEventLoopGroup(1);
    try {
      SslHandler[] handler = new SslHandler[1];
      Channel channel =
          new Bootstrap()
              .group(group)
              .channel(NioSocketChannel.class)
              .handler(
                  new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      handler[0] = ssl.newHandler(ch.alloc(), "127.0.0.1", superlink.fleetPort());
                      ch.pipeline()
                          .addLast(
                              handler[0],
                              new ChannelInboundHandlerAdapter() {
                                @Override
                                public void exceptionCaught(
                                    ChannelHandlerContext ctx, Throwable cause) {
                                  ctx.close(); // the handshake future carries the failure
                                }
                              });
                    }
                  })
              .connect("127.0.0.1", superlink.fleetPort())
              .sync()
              .channel();
      Future<Channel> done = handler[0].handshakeFuture().await();
      channel.close().sync();
      return done.isSuccess() ? null : done.cause();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
