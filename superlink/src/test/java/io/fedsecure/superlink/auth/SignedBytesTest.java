package io.fedsecure.superlink.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import io.fedsecure.crypto.auth.RequestDigest;
import io.fedsecure.crypto.auth.SignedRequest;
import io.fedsecure.proto.fleet.FleetGrpc;
import io.fedsecure.proto.fleet.HeartbeatRequest;
import io.fedsecure.proto.fleet.HeartbeatResponse;
import io.fedsecure.superlink.support.FleetClient;
import io.fedsecure.superlink.support.SharedSuperLink;
import io.fedsecure.superlink.support.SuperLinkFixture;
import io.fedsecure.superlink.support.TestNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The signature covers exactly the bytes the SuperLink received, not its re-encoding of them. */
@ExtendWith(SharedSuperLink.class)
class SignedBytesTest {

  private static final String HEARTBEAT = FleetGrpc.getSendHeartbeatMethod().getFullMethodName();

  private final SuperLinkFixture superlink;
  private FleetClient fleet;

  SignedBytesTest(SuperLinkFixture superlink) {
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

  /**
   * A valid HeartbeatRequest that protobuf would never write: node_id twice (the last one counts).
   */
  private static byte[] unusualEncoding(long nodeId) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeUInt64(1, 0);
    out.writeUInt64(1, nodeId);
    out.flush();
    byte[] body = bytes.toByteArray();
    assertThat(HeartbeatRequest.parseFrom(body).getNodeId()).isEqualTo(nodeId);
    assertThat(HeartbeatRequest.parseFrom(body).toByteArray()).isNotEqualTo(body);
    return body;
  }

  @Test
  void requestEncodedDifferentlyButSignedOverTheBytesSentIsAccepted() throws Exception {
    TestNode node = fleet.register("");
    byte[] body = unusualEncoding(node.nodeId());
    SignedRequest signed = node.signer().sign(HEARTBEAT, RequestDigest.of(body));

    byte[] response = RawFleetCall.unary(fleet.channel(), HEARTBEAT, signed, body);

    assertThat(HeartbeatResponse.parseFrom(response).getOk()).isTrue();
  }

  @Test
  void requestWhoseSentBytesDifferFromTheSignedBytesIsRefused() throws Exception {
    TestNode node = fleet.register("");
    byte[] signedBody =
        HeartbeatRequest.newBuilder().setNodeId(node.nodeId()).build().toByteArray();
    SignedRequest signed = node.signer().sign(HEARTBEAT, RequestDigest.of(signedBody));
    // The same request to a parser, other bytes on the wire.
    byte[] sentBody = unusualEncoding(node.nodeId());

    assertThatThrownBy(() -> RawFleetCall.unary(fleet.channel(), HEARTBEAT, signed, sentBody))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(e.getStatus().getDescription()).contains("bad signature");
            });
  }
}
