package io.fedsecure.crypto.envelope;

public final class EnvelopeAuthenticationException extends EnvelopeException {
  public EnvelopeAuthenticationException(String message) {
    super(message);
  }
}
