package io.fedsecure.crypto.auth;

/** A request signature that was refused, and why. */
public final class SignatureRejectedException extends Exception {

  public enum Reason {
    MALFORMED,
    BAD_SIGNATURE,
    STALE_TIMESTAMP,
    FUTURE_TIMESTAMP,
    REPLAYED_NONCE,
    KEY_NONCE_QUOTA_EXCEEDED,
    REPLAY_CACHE_FULL
  }

  private final Reason reason;

  public SignatureRejectedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
