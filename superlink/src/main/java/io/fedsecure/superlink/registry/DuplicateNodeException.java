package io.fedsecure.superlink.registry;

/** A registration that collides with a registered node: the same key, or a name already in use. */
public final class DuplicateNodeException extends RuntimeException {

  public enum Conflict {
    PUBLIC_KEY,
    NAME
  }

  private final Conflict conflict;

  public DuplicateNodeException(Conflict conflict, String message) {
    super(message);
    this.conflict = conflict;
  }

  public Conflict conflict() {
    return conflict;
  }
}
