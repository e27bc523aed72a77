package io.fedsecure.superlink.registry;

import java.time.Instant;

/**
 * A node as the registry knows it.
 *
 * @param name optional operator-given name (e.g. "node-1"); selects encryption_keys/<name>_key.bin
 * @param lastSeenAt null if the node never connected
 */
public record RegisteredNode(
    long nodeId,
    String name,
    NodeStatus status,
    String publicKeyFingerprint,
    Instant registeredAt,
    Instant lastSeenAt,
    String owner) {}
