package io.fedsecure.supernode;

/**
 * A problem that stops a SuperNode from starting or running, told to the operator as one line (no
 * stack trace): unreachable SuperLink, certificate rejected, node not registered, key file
 * problems, missing or corrupt dataset. The message must name the file, flag or node at fault and
 * never contain secrets.
 */
public class NodeStartupException extends RuntimeException {
  public NodeStartupException(String message) {
    super(message);
  }

  public NodeStartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
