package io.fedsecure.superlink.control;

import io.fedsecure.proto.control.NodeInfo;
import io.fedsecure.proto.control.NodeStatus;
import io.fedsecure.superlink.registry.RegisteredNode;

final class NodeInfoMapping {

  private NodeInfoMapping() {}

  static NodeInfo toProto(RegisteredNode node) {
    return NodeInfo.newBuilder()
        .setNodeId(node.nodeId())
        .setName(node.name() == null ? "" : node.name())
        .setStatus(toProto(node.status()))
        .setPublicKeyFingerprint(node.publicKeyFingerprint())
        .setRegisteredAt(node.registeredAt().toString())
        .setLastSeenAt(node.lastSeenAt() == null ? "" : node.lastSeenAt().toString())
        .setOwner(node.owner())
        .build();
  }

  static NodeStatus toProto(io.fedsecure.superlink.registry.NodeStatus status) {
    return switch (status) {
      case REGISTERED -> NodeStatus.NODE_STATUS_REGISTERED;
      case ONLINE -> NodeStatus.NODE_STATUS_ONLINE;
      case OFFLINE -> NodeStatus.NODE_STATUS_OFFLINE;
      case UNREGISTERED -> NodeStatus.NODE_STATUS_UNREGISTERED;
    };
  }
}
