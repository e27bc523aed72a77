package io.fedsecure.supernode.connection;

import io.fedsecure.supernode.NodeStartupException;

/** The activated node as the SuperLink knows it, for the lifetime of one connection. */
public interface SessionContext {

  /** The node id the SuperLink assigned on activation (part of every envelope's context). */
  long nodeId();

  String nodeName();

  /** Stops the node with this one-line reason (e.g. the trainer found its dataset missing). */
  void fail(NodeStartupException reason);
}
