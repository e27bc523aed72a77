package io.fedsecure.crypto.envelope;

/**
 * Why an envelope was refused. Subtypes: malformed, unsupported version, unknown key,
 * authentication.
 */
public abstract sealed class EnvelopeException extends Exception
    permits MalformedEnvelopeException,
        UnsupportedEnvelopeVersionException,
        UnknownKeyIdException,
        EnvelopeAuthenticationException {
  protected EnvelopeException(String message) {
    super(message);
  }
}
