package io.fedsecure.superlink.registry;

/**
 * Published after an operator unregistered a node: whoever holds resources for it (open instruction
 * streams, pending tasks) lets go of them.
 */
public record NodeUnregisteredEvent(long nodeId, String name) {}
