package io.fedsecure.crypto.envelope;

public final class UnknownKeyIdException extends EnvelopeException {
  public UnknownKeyIdException(String message) {
    super(message);
  }
}
