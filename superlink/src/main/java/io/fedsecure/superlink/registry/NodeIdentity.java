package io.fedsecure.superlink.registry;

/** What the Fleet API's authentication needs to know about the holder of a key. */
public record NodeIdentity(long nodeId, String name, NodeStatus status) {}
