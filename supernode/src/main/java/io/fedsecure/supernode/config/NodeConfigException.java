package io.fedsecure.supernode.config;

import io.fedsecure.supernode.NodeStartupException;

/** --node-config that cannot be read or lacks a key: a usage error, not a runtime one. */
public final class NodeConfigException extends NodeStartupException {
  public NodeConfigException(String message) {
    super(message);
  }
}
