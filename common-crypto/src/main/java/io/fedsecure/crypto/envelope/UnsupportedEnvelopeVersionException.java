package io.fedsecure.crypto.envelope;

public final class UnsupportedEnvelopeVersionException extends EnvelopeException {
  public UnsupportedEnvelopeVersionException(String message) {
    super(message);
  }
}
