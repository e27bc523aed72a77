package io.fedsecure.superlink.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.fedsecure.crypto.auth.RequestSigner;
import io.fedsecure.crypto.auth.SignedRequest;
import io.fedsecure.crypto.keys.EcKeys;
import io.fedsecure.proto.PayloadChunk;
import io.fedsecure.proto.fleet.ActivateNodeRequest;
import io.fedsecure.proto.fleet.ActivateNodeResponse;
import io.fedsecure.proto.fleet.HeartbeatRequest;
import io.fedsecure.proto.fleet.InstructionFrame;
import io.fedsecure.proto.fleet.PullInstructionsRequest;
import io.fedsecure.proto.fleet.PushReplyResponse;
import io.fedsecure.proto.fleet.ReplyFrame;
import io.fedsecure.proto.fleet.ReplyHeader;
import io.fedsecure.superlink.support.FleetClient;
import io.fedsecure.superlink.support.RecordingReply;
import io.fedsecure.superlink.support.SharedSuperLink;
import io.fedsecure.superlink.support.SigningInterceptor;
import io.fedsecure.superlink.support.SuperLinkFixture;
import io.fedsecure.superlink.support.TestNode;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Node authentication on the Fleet API, over real mutual TLS. */
@ExtendWith(SharedSuperLink.class)
class FleetAuthTest {

  private final SuperLinkFixture superlink;
  private FleetClient fleet;

  FleetAuthTest(SuperLinkFixture superlink) {
    this.superlink = superlink;
  }

  @BeforeEach
  void openClient() {
    fleet = superlink.fleet();
  }

  @AfterEach
  void closeClient() {
    fleet.close();
  }

  private static HeartbeatRequest heartbeat(TestNode node) {
    return HeartbeatRequest.newBuilder().setNodeId(node.nodeId()).build();
  }

  private static void assertUnauthenticated(Runnable call, String descriptionPart) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(e.getStatus().getDescription()).contains(descriptionPart);
            });
  }

  @Test
  void registeredNodeActivatesAndHeartbeats() throws Exception {
    TestNode node = fleet.register("auth-ok");
    var stub = fleet.blocking(node);

    ActivateNodeResponse activated =
        stub.activateNode(ActivateNodeRequest.newBuilder().setNodeName("auth-ok").build());
    assertThat(activated.getNodeId()).isEqualTo(node.nodeId());
    assertThat(activated.getNodeName()).isEqualTo("auth-ok");
    assertThat(activated.getHeartbeatIntervalSeconds()).isEqualTo(1.0);
    assertThat(stub.sendHeartbeat(heartbeat(node)).getOk()).isTrue();
  }

  @Test
  void activationWithAnotherNodesNameIsRefused() throws Exception {
    TestNode node = fleet.register("auth-name");
    var stub = fleet.blocking(node);

    assertThatThrownBy(
            () -> stub.activateNode(ActivateNodeRequest.newBuilder().setNodeName("node-9").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
              assertThat(e.getStatus().getDescription()).contains("node-9").contains("auth-name");
            });
  }

  @Test
  void unregisteredKeyIsRefused() {
    TestNode stranger = new TestNode(EcKeys.generateP384(), 42, "");
    assertUnauthenticated(
        () -> fleet.blocking(stranger).sendHeartbeat(heartbeat(stranger)), "unregistered key");
  }

  @Test
  void signatureByAnotherKeyIsRefused() throws Exception {
    TestNode node = fleet.register("");
    byte[] registeredKey = node.keys().getPublic().getEncoded();
    // Signed by an attacker's key, presented under the registered node's public key.
    SigningInterceptor forged =
        new SigningInterceptor(
            new RequestSigner(EcKeys.generateP384(), Clock.systemUTC()),
            s -> new SignedRequest(registeredKey, s.timestamp(), s.nonce(), s.signature()));

    assertUnauthenticated(
        () -> fleet.blocking(fleet.channel(), forged).sendHeartbeat(heartbeat(node)),
        "bad signature");
  }

  @Test
  void staleAndFutureTimestampsAreRefused() throws Exception {
    TestNode node = fleet.register("");
    KeyPair keys = node.keys();
    SigningInterceptor stale =
        new SigningInterceptor(
            new RequestSigner(keys, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-120))));
    SigningInterceptor future =
        new SigningInterceptor(
            new RequestSigner(keys, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(30))));
    ManagedChannel channel = fleet.channel();

    assertUnauthenticated(
        () -> fleet.blocking(channel, stale).sendHeartbeat(heartbeat(node)), "stale timestamp");
    assertUnauthenticated(
        () -> fleet.blocking(channel, future).sendHeartbeat(heartbeat(node)), "future timestamp");
    // The same channel with an honest clock works: it was the timestamps.
    assertThat(
            fleet
                .blocking(channel, new SigningInterceptor(node.signer()))
                .sendHeartbeat(heartbeat(node))
                .getOk())
        .isTrue();
  }

  @Test
  void replayedRequestIsRefusedWithSameOrDifferentBody() throws Exception {
    TestNode node = fleet.register("auth-replay");
    ManagedChannel channel = fleet.channel();
    SigningInterceptor honest = new SigningInterceptor(node.signer());
    fleet.blocking(channel, honest).sendHeartbeat(heartbeat(node));
    SignedRequest captured = honest.lastSent();
    SigningInterceptor replay = new SigningInterceptor(node.signer(), fresh -> captured);

    assertUnauthenticated(
        () -> fleet.blocking(channel, replay).sendHeartbeat(heartbeat(node)), "replayed nonce");
    // Captured headers on another body: the signature covers the body, so it no longer verifies.
    assertUnauthenticated(
        () ->
            fleet
                .blocking(channel, replay)
                .activateNode(ActivateNodeRequest.newBuilder().setNodeName("auth-replay").build()),
        "bad signature");
  }

  @Test
  void bodyNamingAnotherNodeIsRefused() throws Exception {
    TestNode node = fleet.register("");
    TestNode other = fleet.register("");

    assertUnauthenticated(
        () -> fleet.blocking(node).sendHeartbeat(heartbeat(other)),
        "request names node "
            + Long.toUnsignedString(other.nodeId())
            + " but the caller is node "
            + Long.toUnsignedString(node.nodeId()));
  }

  @Test
  void replyHeaderNamingAnotherNodeIsRefusedBeforeItsInstructionSeesIt() throws Exception {
    TestNode node = fleet.register("");
    TestNode other = fleet.register("");
    RecordingReply awaited = expect("auth-i-1", other);
    CompletableFuture<PushReplyResponse> result =
        pushReply(
            node,
            ReplyFrame.newBuilder()
                .setHeader(
                    ReplyHeader.newBuilder().setNodeId(other.nodeId()).setInstructionId("auth-i-1"))
                .build());

    assertThat(result)
        .failsWithin(Duration.ofSeconds(20))
        .withThrowableOfType(Exception.class)
        .satisfies(
            e ->
                assertThat(Status.fromThrowable(e).getCode())
                    .isEqualTo(Status.Code.UNAUTHENTICATED));
    assertThat(awaited.received()).isEmpty();
  }

  @Test
  void signedChunkedReplyReachesItsInstruction() throws Exception {
    TestNode node = fleet.register("");
    RecordingReply awaited = expect("auth-i-2", node);
    byte[] part1 = "encrypted-".getBytes();
    byte[] part2 = "envelope".getBytes();
    CompletableFuture<PushReplyResponse> result =
        pushReply(
            node,
            ReplyFrame.newBuilder()
                .setHeader(
                    ReplyHeader.newBuilder()
                        .setNodeId(node.nodeId())
                        .setInstructionId("auth-i-2")
                        .setPayloadSize(part1.length + part2.length))
                .build(),
            ReplyFrame.newBuilder()
                .setChunk(PayloadChunk.newBuilder().setIndex(0).setData(ByteString.copyFrom(part1)))
                .build(),
            ReplyFrame.newBuilder()
                .setChunk(
                    PayloadChunk.newBuilder()
                        .setIndex(1)
                        .setData(ByteString.copyFrom(part2))
                        .setLast(true))
                .build());

    assertThat(result)
        .succeedsWithin(Duration.ofSeconds(20))
        .satisfies(r -> assertThat(r.getAccepted()).isTrue());
    assertThat(awaited.received())
        .singleElement()
        .satisfies(r -> assertThat(new String(r.payload())).isEqualTo("encrypted-envelope"));
  }

  @Test
  void replyToAnInstructionNobodyAwaitsIsRefused() throws Exception {
    TestNode node = fleet.register("");
    CompletableFuture<PushReplyResponse> result =
        pushReply(
            node,
            ReplyFrame.newBuilder()
                .setHeader(
                    ReplyHeader.newBuilder().setNodeId(node.nodeId()).setInstructionId("auth-i-9"))
                .build());

    assertThat(result)
        .succeedsWithin(Duration.ofSeconds(20))
        .satisfies(
            r -> {
              assertThat(r.getAccepted()).isFalse();
              assertThat(r.getReason()).isEqualTo("unknown instruction id 'auth-i-9'");
            });
  }

  @Test
  void replyWithMissingChunkIsInvalid() throws Exception {
    TestNode node = fleet.register("");
    RecordingReply awaited = expect("auth-i-3", node);
    CompletableFuture<PushReplyResponse> result =
        pushReply(
            node,
            ReplyFrame.newBuilder()
                .setHeader(
                    ReplyHeader.newBuilder()
                        .setNodeId(node.nodeId())
                        .setInstructionId("auth-i-3")
                        .setPayloadSize(4))
                .build(),
            ReplyFrame.newBuilder()
                .setChunk(
                    PayloadChunk.newBuilder()
                        .setIndex(1)
                        .setData(ByteString.copyFromUtf8("abcd"))
                        .setLast(true))
                .build());

    assertThat(result)
        .failsWithin(Duration.ofSeconds(20))
        .withThrowableOfType(Exception.class)
        .satisfies(
            e -> {
              assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(Status.fromThrowable(e).getDescription())
                  .contains("chunk index 1 where 0 was expected");
            });
    assertThat(awaited.received()).isEmpty();
  }

  private RecordingReply expect(String instructionId, TestNode node) {
    RecordingReply awaited = new RecordingReply(node.nodeId());
    superlink.nodeStreams().expect(instructionId, awaited);
    return awaited;
  }

  @Test
  void operatorCertificateCannotCallTheFleetApi() throws Exception {
    TestNode node = fleet.register("");
    ManagedChannel operatorChannel = fleet.channel(superlink.operatorCertificate());

    assertUnauthenticated(
        () ->
            fleet
                .blocking(operatorChannel, new SigningInterceptor(node.signer()))
                .sendHeartbeat(heartbeat(node)),
        "not a SuperNode certificate");
  }

  @Test
  void healthNeedsNoSignatureButMutualTls() {
    HealthCheckResponse health =
        HealthGrpc.newBlockingStub(fleet.channel())
            .check(HealthCheckRequest.newBuilder().setService("fedsecure.fleet.v1.Fleet").build());
    assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }

  @Test
  void unregisteringANodeCutsItsStreamAndNextRequest() throws Exception {
    TestNode node = fleet.register("auth-revoked");
    fleet
        .blocking(node)
        .activateNode(ActivateNodeRequest.newBuilder().setNodeName("auth-revoked").build());
    CompletableFuture<Status> streamEnd = new CompletableFuture<>();
    fleet
        .async(node)
        .pullInstructions(
            PullInstructionsRequest.newBuilder().setNodeId(node.nodeId()).build(),
            new StreamObserver<>() {
              @Override
              public void onNext(InstructionFrame frame) {}

              @Override
              public void onError(Throwable t) {
                streamEnd.complete(Status.fromThrowable(t));
              }

              @Override
              public void onCompleted() {
                streamEnd.complete(Status.OK);
              }
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> superlink.nodeStreams().hasStream(node.nodeId()));
    assertThat(fleet.blocking(node).sendHeartbeat(heartbeat(node)).getOk()).isTrue();

    var response =
        superlink.operatorClient().delete("v1/nodes/" + Long.toUnsignedString(node.nodeId()));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("NODE_STATUS_UNREGISTERED");
    assertThat(streamEnd)
        .succeedsWithin(Duration.ofSeconds(10))
        .satisfies(
            status -> {
              assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(status.getDescription()).contains("node unregistered");
            });
    assertThat(superlink.nodeStreams().hasStream(node.nodeId())).isFalse();
    assertUnauthenticated(
        () -> fleet.blocking(node).sendHeartbeat(heartbeat(node)), "node unregistered");
  }

  private CompletableFuture<PushReplyResponse> pushReply(TestNode node, ReplyFrame... frames) {
    CompletableFuture<PushReplyResponse> result = new CompletableFuture<>();
    AtomicReference<PushReplyResponse> response = new AtomicReference<>();
    StreamObserver<ReplyFrame> requests =
        fleet
            .async(node)
            .pushReply(
                new StreamObserver<>() {
                  @Override
                  public void onNext(PushReplyResponse value) {
                    response.set(value);
                  }

                  @Override
                  public void onError(Throwable t) {
                    result.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {
                    result.complete(response.get());
                  }
                });
    for (ReplyFrame frame : frames) {
      requests.onNext(frame);
    }
    requests.onCompleted();
    return result;
  }
}
