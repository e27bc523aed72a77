package io.fedsecure.superlink.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fedsecure.proto.fleet.ActivateNodeRequest;
import io.fedsecure.proto.fleet.HeartbeatRequest;
import io.fedsecure.superlink.support.FleetClient;
import io.fedsecure.superlink.support.SharedSuperLink;
import io.fedsecure.superlink.support.SuperLinkFixture;
import io.fedsecure.superlink.support.TestNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shared SuperLink runs with --node-patience 2s. */
@ExtendWith(SharedSuperLink.class)
class LivenessTest {

  private final SuperLinkFixture superlink;

  LivenessTest(SuperLinkFixture superlink) {
    this.superlink = superlink;
  }

  private NodeStatus status(TestNode node) {
    return superlink.bean(NodeRegistry.class).find(node.nodeId()).orElseThrow().status();
  }

  @Test
  void silentNodeGoesOfflineWithinPatienceAndHeartbeatBringsItBack() throws Exception {
    try (FleetClient fleet = superlink.fleet()) {
      TestNode node = fleet.register("live-1");
      assertThat(status(node)).isEqualTo(NodeStatus.REGISTERED);

      fleet
          .blocking(node)
          .activateNode(ActivateNodeRequest.newBuilder().setNodeName("live-1").build());
      assertThat(status(node)).isEqualTo(NodeStatus.ONLINE);
      assertThat(superlink.bean(NodeRegistry.class).online())
          .extracting(RegisteredNode::nodeId)
          .contains(node.nodeId());

      // Patience 2 s, checked every ~1/6 of it: offline after ~2.3 s (slack for a busy machine),
      // not at once.
      await()
          .atLeast(Duration.ofMillis(1500))
          .atMost(Duration.ofSeconds(6))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> status(node) == NodeStatus.OFFLINE);

      fleet
          .blocking(node)
          .sendHeartbeat(HeartbeatRequest.newBuilder().setNodeId(node.nodeId()).build());
      assertThat(status(node)).isEqualTo(NodeStatus.ONLINE);
      assertThat(superlink.bean(NodeRegistry.class).find(node.nodeId()).orElseThrow().lastSeenAt())
          .isNotNull();
    }
  }
}
