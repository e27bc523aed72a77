package io.fedsecure.superlink.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fedsecure.crypto.pki.ClientRole;
import io.fedsecure.crypto.testing.TestPki;
import io.fedsecure.proto.fleet.FleetGrpc;
import io.fedsecure.proto.fleet.HeartbeatRequest;
import io.fedsecure.proto.fleet.InstructionFrame;
import io.fedsecure.proto.fleet.PullInstructionsRequest;
import io.fedsecure.superlink.support.FleetClient;
import io.fedsecure.superlink.support.SigningInterceptor;
import io.fedsecure.superlink.support.SuperLinkFixture;
import io.fedsecure.superlink.support.TestNode;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one connection or one client certificate may take of the Fleet API, over real mutual TLS.
 */
class FleetTransportLimitsTest {

  @TempDir static Path dir;
  static SuperLinkFixture superlink;
  static FleetClient fleet;

  @BeforeAll
  static void start() {
    superlink =
        SuperLinkFixture.startWith(
            dir,
            Map.of(
                "superlink.fleet-api.limits.max-concurrent-calls-per-connection", "2",
                "superlink.fleet-api.limits.max-connections-per-certificate", "2"));
    fleet = superlink.fleet();
  }

  @AfterAll
  static void stop() {
    fleet.close();
    superlink.close();
  }

  private static HeartbeatRequest heartbeat(TestNode node) {
    return HeartbeatRequest.newBuilder().setNodeId(node.nodeId()).build();
  }

  private static TestPki.ClientFiles certificate(String name) {
    return superlink.pki().client(name, ClientRole.SUPERNODE);
  }

  private static void holdInstructionStream(ManagedChannel channel, TestNode node) {
    FleetGrpc.newStub(channel)
        .withInterceptors(new SigningInterceptor(node.signer()))
        .pullInstructions(
            PullInstructionsRequest.newBuilder().setNodeId(node.nodeId()).build(),
            new StreamObserver<InstructionFrame>() {
              @Override
              public void onNext(InstructionFrame value) {}

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {}
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> superlink.nodeStreams().hasStream(node.nodeId()));
  }

  @Test
  void connectionHoldingMoreCallsThanTheLimitGetsNoMoreWhileAnotherNodeWorks() throws Exception {
    // Given a connection already holding two long calls (the limit)
    TestNode first = fleet.register("");
    TestNode second = fleet.register("");
    TestNode other = fleet.register("");
    ManagedChannel crowded = fleet.channel(certificate("crowded"));
    holdInstructionStream(crowded, first);
    holdInstructionStream(crowded, second);

    // When it makes a third call, then Then that call never starts, while another node's connection
    // works
    assertThatThrownBy(
            () ->
                FleetGrpc.newBlockingStub(crowded)
                    .withInterceptors(new SigningInterceptor(first.signer()))
                    .withDeadlineAfter(2, TimeUnit.SECONDS)
                    .sendHeartbeat(heartbeat(first)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    assertThat(
            fleet
                .blocking(
                    fleet.channel(certificate("uncrowded")), new SigningInterceptor(other.signer()))
                .sendHeartbeat(heartbeat(other))
                .getOk())
        .isTrue();
  }

  @Test
  void certificateHoldingMoreConnectionsThanTheCapIsRefusedWhileAnotherNodeWorks()
      throws Exception {
    // Given a certificate with two connections (the cap)
    TestNode greedy = fleet.register("");
    TestNode honest = fleet.register("");
    TestPki.ClientFiles greedyCertificate = certificate("greedy");
    for (int i = 0; i < 2; i++) {
      assertThat(
              fleet
                  .blocking(
                      fleet.channel(greedyCertificate), new SigningInterceptor(greedy.signer()))
                  .sendHeartbeat(heartbeat(greedy))
                  .getOk())
          .isTrue();
    }

    // When it opens a third, Then its calls are refused as transient, while another node works
    assertThatThrownBy(
            () ->
                fleet
                    .blocking(
                        fleet.channel(greedyCertificate), new SigningInterceptor(greedy.signer()))
                    .sendHeartbeat(heartbeat(greedy)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
              assertThat(e.getStatus().getDescription())
                  .contains("too many connections with this client certificate");
            });
    assertThat(
            fleet
                .blocking(
                    fleet.channel(certificate("honest")), new SigningInterceptor(honest.signer()))
                .sendHeartbeat(heartbeat(honest))
                .getOk())
        .isTrue();
  }
}
