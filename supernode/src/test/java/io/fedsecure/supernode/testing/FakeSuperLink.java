package io.fedsecure.supernode.testing;

import com.google.protobuf.ByteString;
import io.fedsecure.crypto.auth.RequestDigest;
import io.fedsecure.crypto.auth.RequestVerifier;
import io.fedsecure.crypto.auth.SignatureRejectedException;
import io.fedsecure.crypto.auth.SignedRequest;
import io.fedsecure.crypto.keys.EcKeys;
import io.fedsecure.crypto.keys.KeyFormatException;
import io.fedsecure.proto.PayloadChunk;
import io.fedsecure.proto.fleet.ActivateNodeRequest;
import io.fedsecure.proto.fleet.ActivateNodeResponse;
import io.fedsecure.proto.fleet.DeactivateNodeRequest;
import io.fedsecure.proto.fleet.DeactivateNodeResponse;
import io.fedsecure.proto.fleet.FleetGrpc;
import io.fedsecure.proto.fleet.HeartbeatRequest;
import io.fedsecure.proto.fleet.HeartbeatResponse;
import io.fedsecure.proto.fleet.Instruction;
import io.fedsecure.proto.fleet.InstructionFrame;
import io.fedsecure.proto.fleet.PullInstructionsRequest;
import io.fedsecure.proto.fleet.PushReplyResponse;
import io.fedsecure.proto.fleet.ReplyFrame;
import io.fedsecure.proto.fleet.ReplyHeader;
import io.fedsecure.protocol.FleetMetadata;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.netty.handler.ssl.ClientAuth;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the SuperLink's Fleet API for tests: mutual TLS on a real 127.0.0.1 socket, every request
 * signature checked with common-crypto's {@link RequestVerifier}, a registry of public keys, and an
 * instruction stream the test can push into.
 */
public final class FakeSuperLink implements AutoCloseable {

  public record ReceivedReply(ReplyHeader header, byte[] payload) {}

  private static final Context.Key<Metadata> HEADERS = Context.key("test-headers");

  private final Path certificate;
  private final Path key;
  private final Path clientCa;
  private final RequestVerifier verifier =
      new RequestVerifier(
          Clock.systemUTC(), Duration.ofSeconds(5), Duration.ofSeconds(60), 100_000);
  private final Map<ByteString, Long> registered = new ConcurrentHashMap<>();
  private volatile double heartbeatSeconds = 0.2;
  private volatile ServerCallStreamObserver<InstructionFrame> stream;
  private int port;
  private Server server;

  public final AtomicInteger activations = new AtomicInteger();
  public final AtomicInteger heartbeats = new AtomicInteger();
  public final AtomicInteger deactivations = new AtomicInteger();
  public final AtomicInteger streamsOpened = new AtomicInteger();
  public final AtomicInteger pushAttempts = new AtomicInteger();

  /** The next this many PushReply calls fail with UNAVAILABLE, as during a SuperLink restart. */
  public final AtomicInteger pushesToFail = new AtomicInteger();

  /** The next this many PushReply calls are refused as rate-limited, a transient refusal. */
  public final AtomicInteger pushesToRateLimit = new AtomicInteger();

  /**
   * The next this many signed calls are refused the way a SuperLink under a flood or with a skewed
   * clock refuses them: a transient refusal trailer and the SuperLink's clock, here {@link
   * #serverClockAhead} ahead.
   */
  public final AtomicInteger transientRefusals = new AtomicInteger();

  public volatile Duration serverClockAhead = Duration.ZERO;
  public final List<String> verifiedMethods = new CopyOnWriteArrayList<>();
  public final List<String> rejections = new CopyOnWriteArrayList<>();
  public final BlockingQueue<ReceivedReply> replies = new LinkedBlockingQueue<>();

  private FakeSuperLink(Path certificate, Path key, Path clientCa, int port) {
    this.certificate = certificate;
    this.key = key;
    this.clientCa = clientCa;
    this.port = port;
  }

  /** Starts on 127.0.0.1 ({@code port} 0 picks a free one) with the given server certificate. */
  public static FakeSuperLink start(Path certificate, Path key, Path clientCa, int port) {
    FakeSuperLink link = new FakeSuperLink(certificate, key, clientCa, port);
    link.startServer();
    return link;
  }

  public int port() {
    return port;
  }

  public void register(PublicKey publicKey, long nodeId) {
    registered.put(ByteString.copyFrom(publicKey.getEncoded()), nodeId);
  }

  public void heartbeatSeconds(double seconds) {
    this.heartbeatSeconds = seconds;
  }

  public boolean hasStream() {
    ServerCallStreamObserver<InstructionFrame> s = stream;
    return s != null && !s.isCancelled();
  }

  /** Simulates the SuperLink going away: all connections drop. */
  public void stop() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stream = null;
  }

  /** Comes back on the same port. */
  public void restart() {
    startServer();
  }

  @Override
  public void close() {
    stop();
  }

  /** Pushes an instruction and its envelope in chunks of {@code chunkSize} on the open stream. */
  public void send(Instruction instruction, byte[] envelope, int chunkSize) {
    ServerCallStreamObserver<InstructionFrame> s = stream;
    if (s == null) {
      throw new IllegalStateException("no node has an instruction stream open");
    }
    synchronized (s) {
      s.onNext(
          InstructionFrame.newBuilder()
              .setInstruction(instruction.toBuilder().setPayloadSize(envelope.length))
              .build());
      int index = 0;
      for (int offset = 0; offset < envelope.length; offset += chunkSize, index++) {
        int length = Math.min(chunkSize, envelope.length - offset);
        s.onNext(
            InstructionFrame.newBuilder()
                .setChunk(
                    PayloadChunk.newBuilder()
                        .setIndex(index)
                        .setData(ByteString.copyFrom(envelope, offset, length))
                        .setLast(offset + length == envelope.length))
                .build());
      }
    }
  }

  private void startServer() {
    try {
      server =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
              .sslContext(
                  GrpcSslContexts.forServer(certificate.toFile(), key.toFile())
                      .trustManager(clientCa.toFile())
                      .clientAuth(ClientAuth.REQUIRE)
                      .build())
              .permitKeepAliveTime(5, TimeUnit.SECONDS)
              .permitKeepAliveWithoutCalls(true)
              .addService(ServerInterceptors.intercept(new Fleet(), new CaptureHeaders()))
              .build()
              .start();
      port = server.getPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Checks the signature; returns the registered node id of the key. */
  private long authenticate(String method, byte[] bodyDigest) throws StatusException {
    Metadata headers = HEADERS.get();
    byte[] publicKey = headers.get(FleetMetadata.PUBLIC_KEY);
    String timestamp = headers.get(FleetMetadata.TIMESTAMP);
    byte[] nonce = headers.get(FleetMetadata.NONCE);
    byte[] signature = headers.get(FleetMetadata.SIGNATURE);
    if (publicKey == null || timestamp == null || nonce == null || signature == null) {
      rejections.add(method + ": missing signature headers");
      throw Status.UNAUTHENTICATED.withDescription("missing signature headers").asException();
    }
    try {
      verifier.verify(
          EcKeys.fromSpki(publicKey),
          method,
          new SignedRequest(publicKey, timestamp, nonce, signature),
          bodyDigest);
    } catch (KeyFormatException | SignatureRejectedException e) {
      rejections.add(method + ": " + e.getMessage());
      throw Status.UNAUTHENTICATED
          .withDescription("signature rejected: " + e.getMessage())
          .asException();
    }
    if (transientRefusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      Metadata trailers = new Metadata();
      trailers.put(FleetMetadata.REFUSAL, FleetMetadata.TRANSIENT);
      trailers.put(FleetMetadata.REFUSAL_REASON, "stale_timestamp");
      trailers.put(
          FleetMetadata.SERVER_TIME, Clock.systemUTC().instant().plus(serverClockAhead).toString());
      throw Status.UNAUTHENTICATED
          .withDescription("stale timestamp: the request's timestamp is too old")
          .asException(trailers);
    }
    verifiedMethods.add(method);
    Long nodeId = registered.get(ByteString.copyFrom(publicKey));
    if (nodeId == null) {
      throw Status.UNAUTHENTICATED.withDescription("unregistered key").asException();
    }
    return nodeId;
  }

  private static final class CaptureHeaders implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
        ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      return Contexts.interceptCall(
          Context.current().withValue(HEADERS, headers), call, headers, next);
    }
  }

  private final class Fleet extends FleetGrpc.FleetImplBase {
    @Override
    public void activateNode(
        ActivateNodeRequest request, StreamObserver<ActivateNodeResponse> response) {
      try {
        long nodeId =
            authenticate(
                FleetGrpc.getActivateNodeMethod().getFullMethodName(),
                RequestDigest.of(request.toByteArray()));
        activations.incrementAndGet();
        response.onNext(
            ActivateNodeResponse.newBuilder()
                .setNodeId(nodeId)
                .setNodeName(request.getNodeName())
                .setHeartbeatIntervalSeconds(heartbeatSeconds)
                .build());
        response.onCompleted();
      } catch (StatusException e) {
        response.onError(e);
      }
    }

    @Override
    public void sendHeartbeat(
        HeartbeatRequest request, StreamObserver<HeartbeatResponse> response) {
      try {
        authenticate(
            FleetGrpc.getSendHeartbeatMethod().getFullMethodName(),
            RequestDigest.of(request.toByteArray()));
        heartbeats.incrementAndGet();
        response.onNext(
            HeartbeatResponse.newBuilder()
                .setOk(true)
                .setHeartbeatIntervalSeconds(heartbeatSeconds)
                .build());
        response.onCompleted();
      } catch (StatusException e) {
        response.onError(e);
      }
    }

    @Override
    public void deactivateNode(
        DeactivateNodeRequest request, StreamObserver<DeactivateNodeResponse> response) {
      try {
        authenticate(
            FleetGrpc.getDeactivateNodeMethod().getFullMethodName(),
            RequestDigest.of(request.toByteArray()));
        deactivations.incrementAndGet();
        response.onNext(DeactivateNodeResponse.getDefaultInstance());
        response.onCompleted();
      } catch (StatusException e) {
        response.onError(e);
      }
    }

    @Override
    public void pullInstructions(
        PullInstructionsRequest request, StreamObserver<InstructionFrame> response) {
      try {
        authenticate(
            FleetGrpc.getPullInstructionsMethod().getFullMethodName(),
            RequestDigest.of(request.toByteArray()));
        streamsOpened.incrementAndGet();
        stream = (ServerCallStreamObserver<InstructionFrame>) response;
      } catch (StatusException e) {
        response.onError(e);
      }
    }

    @Override
    public StreamObserver<ReplyFrame> pushReply(StreamObserver<PushReplyResponse> response) {
      List<ReplyFrame> frames = new ArrayList<>();
      return new StreamObserver<>() {
        @Override
        public void onNext(ReplyFrame frame) {
          frames.add(frame);
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          RequestDigest digest = new RequestDigest();
          frames.forEach(f -> digest.update(f.toByteArray()));
          try {
            authenticate(FleetGrpc.getPushReplyMethod().getFullMethodName(), digest.digest());
          } catch (StatusException e) {
            response.onError(e);
            return;
          }
          pushAttempts.incrementAndGet();
          if (pushesToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            response.onError(Status.UNAVAILABLE.withDescription("restarting").asException());
            return;
          }
          if (pushesToRateLimit.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            Metadata trailers = new Metadata();
            trailers.put(FleetMetadata.REFUSAL, FleetMetadata.TRANSIENT);
            trailers.put(FleetMetadata.REFUSAL_REASON, "rate_limited");
            response.onError(
                Status.RESOURCE_EXHAUSTED
                    .withDescription("rate limited: too many requests for this key")
                    .asException(trailers));
            return;
          }
          ByteArrayOutputStream payload = new ByteArrayOutputStream();
          frames.stream()
              .filter(ReplyFrame::hasChunk)
              .forEach(f -> payload.writeBytes(f.getChunk().getData().toByteArray()));
          replies.add(new ReceivedReply(frames.get(0).getHeader(), payload.toByteArray()));
          response.onNext(PushReplyResponse.newBuilder().setAccepted(true).build());
          response.onCompleted();
        }
      };
    }
  }
}
