package io.fedsecure.superlink.strategy;

/** A reply that must not count: the message is the reason, safe to log (no key or weight data). */
public final class ReplyRejectedException extends Exception {
  public ReplyRejectedException(String reason) {
    super(reason);
  }
}
