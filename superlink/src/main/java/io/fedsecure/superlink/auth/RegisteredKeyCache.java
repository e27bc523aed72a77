package io.fedsecure.superlink.auth;

import io.fedsecure.superlink.registry.JdbcNodeRegistry;
import io.fedsecure.superlink.registry.NodeIdentity;
import io.fedsecure.superlink.registry.NodeUnregisteredEvent;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Registered keys by fingerprint, kept in memory so that authenticating a call does not query the
 * database on the Netty event loop. A key is read from the registry once; an unregistration evicts
 * its node, and a lookup that raced the eviction is not cached. Keys never registered are not
 * cached (they would let anyone grow the map).
 */
@Component
public class RegisteredKeyCache {

  private final JdbcNodeRegistry registry;
  private final Map<String, NodeIdentity> byFingerprint = new ConcurrentHashMap<>();
  private final AtomicLong evictions = new AtomicLong();

  public RegisteredKeyCache(JdbcNodeRegistry registry) {
    this.registry = registry;
  }

  /** The node holding the key with this fingerprint, in any status. */
  Optional<NodeIdentity> find(String fingerprint) {
    NodeIdentity cached = byFingerprint.get(fingerprint);
    if (cached != null) {
      return Optional.of(cached);
    }
    long evictionsBefore = evictions.get();
    Optional<NodeIdentity> found = registry.findByFingerprint(fingerprint);
    found.ifPresent(
        identity -> {
          byFingerprint.put(fingerprint, identity);
          if (evictions.get() != evictionsBefore) {
            byFingerprint.remove(fingerprint, identity);
          }
        });
    return found;
  }

  @EventListener
  void onUnregistered(NodeUnregisteredEvent event) {
    evictions.incrementAndGet();
    byFingerprint.values().removeIf(identity -> identity.nodeId() == event.nodeId());
  }
}
