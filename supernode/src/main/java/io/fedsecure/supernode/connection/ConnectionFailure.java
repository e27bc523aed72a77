package io.fedsecure.supernode.connection;

import io.fedsecure.supernode.NodeStartupException;

/** Why the node gave up talking to the SuperLink; {@link Kind} decides the exit code. */
public final class ConnectionFailure extends NodeStartupException {

  public enum Kind {
    /** Retries or the wait time ran out. */
    UNREACHABLE,
    /** TLS: the SuperLink's certificate is not trusted, or it refused ours. */
    CERTIFICATE_REJECTED,
    /** The node's identity key is not (or no longer) registered. */
    NOT_REGISTERED,
    /** Any other refusal by the SuperLink (bad signature, clock skew, name mismatch, ...). */
    REFUSED
  }

  private final Kind kind;

  public ConnectionFailure(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
