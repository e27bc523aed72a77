package io.fedsecure.superlink.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsecure.crypto.auth.RequestSigner;
import io.fedsecure.crypto.auth.SignedRequest;
import io.fedsecure.crypto.keys.EcKeys;
import io.fedsecure.proto.fleet.FleetGrpc;
import io.fedsecure.proto.fleet.HeartbeatRequest;
import io.fedsecure.proto.fleet.PushReplyResponse;
import io.fedsecure.proto.fleet.ReplyFrame;
import io.fedsecure.proto.fleet.ReplyHeader;
import io.fedsecure.superlink.support.FleetClient;
import io.fedsecure.superlink.support.SharedSuperLink;
import io.fedsecure.superlink.support.SigningInterceptor;
import io.fedsecure.superlink.support.SuperLinkFixture;
import io.fedsecure.superlink.support.TestNode;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Someone who knows a node's public key (it is public) but not its private key presents it with a
 * signature of their own: whatever they send, the refusal must tell them nothing about the node.
 */
@ExtendWith(SharedSuperLink.class)
class PreVerificationRefusalTest {

  private final SuperLinkFixture superlink;
  private FleetClient fleet;

  PreVerificationRefusalTest(SuperLinkFixture superlink) {
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

  /** Signs with a key of the attacker's own and presents the victim's public key. */
  private static SigningInterceptor impersonating(TestNode victim) {
    byte[] victimKey = victim.keys().getPublic().getEncoded();
    return new SigningInterceptor(
        new RequestSigner(EcKeys.generateP384(), Clock.systemUTC()),
        s -> new SignedRequest(victimKey, s.timestamp(), s.nonce(), s.signature()));
  }

  private static void assertRevealsNothingAbout(Status status, TestNode victim) {
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(status.getDescription())
        .contains("bad signature")
        .doesNotContain(Long.toUnsignedString(victim.nodeId()))
        .doesNotContain(victim.name());
  }

  @Test
  void replyUnderAnotherNodesKeyNamingNodeZeroLearnsNothingAboutThatNode() throws Exception {
    TestNode victim = fleet.register("victim-reply");
    CompletableFuture<PushReplyResponse> result = new CompletableFuture<>();
    StreamObserver<ReplyFrame> frames =
        FleetGrpc.newStub(fleet.channel())
            .withInterceptors(impersonating(victim))
            .pushReply(
                new StreamObserver<>() {
                  @Override
                  public void onNext(PushReplyResponse value) {}

                  @Override
                  public void onError(Throwable t) {
                    result.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {
                    result.complete(null);
                  }
                });
    frames.onNext(
        ReplyFrame.newBuilder()
            .setHeader(ReplyHeader.newBuilder().setNodeId(0).setInstructionId("i"))
            .build());
    frames.onCompleted();

    assertThat(result)
        .failsWithin(Duration.ofSeconds(20))
        .withThrowableOfType(Exception.class)
        .satisfies(e -> assertRevealsNothingAbout(Status.fromThrowable(e), victim));
  }

  @Test
  void heartbeatUnderAnUnregisteredNodesKeyLearnsNothingAboutThatNode() throws Exception {
    TestNode victim = fleet.register("victim-gone");
    var deleted =
        superlink.operatorClient().delete("v1/nodes/" + Long.toUnsignedString(victim.nodeId()));
    assertThat(deleted.statusCode()).isEqualTo(200);

    assertThatThrownBy(
            () ->
                fleet
                    .blocking(fleet.channel(), impersonating(victim))
                    .sendHeartbeat(HeartbeatRequest.newBuilder().setNodeId(0).build()))
        .satisfies(e -> assertRevealsNothingAbout(Status.fromThrowable(e), victim));
  }

  @Test
  void heartbeatUnderARegisteredNodesKeyNamingNodeZeroLearnsNothingAboutThatNode()
      throws Exception {
    TestNode victim = fleet.register("victim-beat");

    assertThatThrownBy(
            () ->
                fleet
                    .blocking(fleet.channel(), impersonating(victim))
                    .sendHeartbeat(HeartbeatRequest.newBuilder().setNodeId(0).build()))
        .satisfies(e -> assertRevealsNothingAbout(Status.fromThrowable(e), victim));
  }
}
