package io.fedsecure.superlink.registry;

/** Flower's node life cycle: registered -> online <-> offline -> unregistered (final). */
public enum NodeStatus {
  REGISTERED,
  ONLINE,
  OFFLINE,
  UNREGISTERED
}
