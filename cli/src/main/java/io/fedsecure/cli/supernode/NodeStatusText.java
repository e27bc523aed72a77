package io.fedsecure.cli.supernode;

import io.fedsecure.proto.control.NodeStatus;
import java.util.Locale;

/** Flower's words for node states: registered, online, offline, unregistered. */
final class NodeStatusText {

  private NodeStatusText() {}

  static String of(NodeStatus status) {
    if (status == NodeStatus.UNRECOGNIZED || status == NodeStatus.NODE_STATUS_UNSPECIFIED) {
      return "unknown";
    }
    return status.name().substring("NODE_STATUS_".length()).toLowerCase(Locale.ROOT);
  }
}
