package io.fedsecure.supernode.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsecure.crypto.auth.RequestDigest;
import io.fedsecure.proto.TaskKind;
import io.fedsecure.proto.fleet.ActivateNodeResponse;
import io.fedsecure.proto.fleet.FleetGrpc;
import io.fedsecure.proto.fleet.PushReplyResponse;
import io.fedsecure.proto.fleet.ReplyFrame;
import io.fedsecure.proto.fleet.ReplyHeader;
import io.fedsecure.supernode.testing.FakeSuperLink;
import io.fedsecure.supernode.testing.NodeFixture;
import io.grpc.ClientInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signed calls against a SuperLink stand-in on a real mutual-TLS socket that verifies them. */
class SigningInterceptorTest {

  @TempDir static Path dir;
  static NodeFixture node;
  static FakeSuperLink superLink;
  static NodeWiring wiring;

  @BeforeAll
  static void start() throws Exception {
    node = NodeFixture.create(dir, "node-1");
    superLink = node.superLink(7);
    wiring = new NodeWiring(node.properties(superLink.port(), 0, Duration.ZERO));
  }

  @AfterAll
  static void stop() {
    wiring.close();
    superLink.close();
  }

  @Test
  void unaryCallCarriesASignatureOverItsMessage() {
    ActivateNodeResponse response = wiring.client.activate("node-1", Duration.ofSeconds(20));

    assertThat(response.getNodeId()).isEqualTo(7);
    assertThat(superLink.verifiedMethods)
        .contains(FleetGrpc.getActivateNodeMethod().getFullMethodName());
  }

  @Test
  void clientStreamIsSignedOverAllFrames() throws Exception {
    byte[] payload = new byte[2500]; // three chunks of at most 1 KiB in this test's settings
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 31);
    }
    ReplyHeader header =
        ReplyHeader.newBuilder()
            .setInstructionId("i-1")
            .setNodeId(7)
            .setRunId(1)
            .setRound(1)
            .setKind(TaskKind.TASK_KIND_TRAIN)
            .setNumExamples(10)
            .putMetrics("train_loss", 0.5)
            .setPayloadSize(payload.length)
            .build();

    PushReplyResponse response = wiring.client.pushReply(header, payload);

    assertThat(response.getAccepted()).isTrue();
    FakeSuperLink.ReceivedReply received = superLink.replies.poll(10, TimeUnit.SECONDS);
    assertThat(received).isNotNull();
    assertThat(received.header()).isEqualTo(header);
    assertThat(received.payload()).isEqualTo(payload);
    assertThat(superLink.verifiedMethods)
        .contains(FleetGrpc.getPushReplyMethod().getFullMethodName());
  }

  @Test
  void digestOverOnlySomeFramesIsRefused() throws Exception {
    List<ReplyFrame> frames =
        FleetClient.frames(
            ReplyHeader.newBuilder().setInstructionId("i-2").setNodeId(7).build(),
            new byte[1500],
            1024);
    byte[] headerOnly = RequestDigest.of(frames.get(0).toByteArray());
    FleetGrpc.FleetStub stub =
        FleetGrpc.newStub(
                ClientInterceptors.intercept(wiring.channel, new SigningInterceptor(wiring.signer)))
            .withOption(SigningInterceptor.BODY_DIGEST, headerOnly);
    CompletableFuture<PushReplyResponse> result = new CompletableFuture<>();

    StreamObserver<ReplyFrame> requests = stub.pushReply(observer(result));
    frames.forEach(requests::onNext);
    requests.onCompleted();

    assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    assertThat(superLink.rejections)
        .anyMatch(r -> r.startsWith(FleetGrpc.getPushReplyMethod().getFullMethodName()));
  }

  private static StreamObserver<PushReplyResponse> observer(
      CompletableFuture<PushReplyResponse> result) {
    return new StreamObserver<>() {
      @Override
      public void onNext(PushReplyResponse value) {
        result.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        result.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {}
    };
  }
}
