package io.fedsecure.crypto.envelope;

public final class MalformedEnvelopeException extends EnvelopeException {
  public MalformedEnvelopeException(String message) {
    super(message);
  }
}
