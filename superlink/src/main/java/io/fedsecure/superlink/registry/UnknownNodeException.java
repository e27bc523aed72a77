package io.fedsecure.superlink.registry;

public final class UnknownNodeException extends RuntimeException {
  public UnknownNodeException(long nodeId) {
    super("no node with id " + Long.toUnsignedString(nodeId));
  }
}
