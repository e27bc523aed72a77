package io.fedsecure.superlink.liveness;

import io.fedsecure.superlink.auth.AuthenticatedNode;
import io.fedsecure.superlink.registry.JdbcNodeRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Online/offline transitions caused by what nodes do on the Fleet API; logged once per change. */
@Component
public class NodePresence {

  private static final Logger log = LoggerFactory.getLogger(NodePresence.class);

  private final JdbcNodeRegistry registry;

  public NodePresence(JdbcNodeRegistry registry) {
    this.registry = registry;
  }

  /** The node made an authenticated request: it is online and was seen now. */
  public void seen(AuthenticatedNode node) {
    if (registry.markSeen(node.nodeId())) {
      log.info("Node {} is online", describe(node));
    }
  }

  /** The node said it is shutting down. */
  public void leaving(AuthenticatedNode node) {
    if (registry.markOffline(node.nodeId())) {
      log.info("Node {} is offline (deactivated)", describe(node));
    }
  }

  static String describe(AuthenticatedNode node) {
    String id = Long.toUnsignedString(node.nodeId());
    return node.name() == null ? id : id + " (" + node.name() + ")";
  }
}
