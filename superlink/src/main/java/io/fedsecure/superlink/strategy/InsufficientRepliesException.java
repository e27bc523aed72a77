package io.fedsecure.superlink.strategy;

/** Too few valid training replies to aggregate: the run fails and the global model stays as it was. */
public final class InsufficientRepliesException extends Exception {
  public InsufficientRepliesException(String message) {
    super(message);
  }
}
