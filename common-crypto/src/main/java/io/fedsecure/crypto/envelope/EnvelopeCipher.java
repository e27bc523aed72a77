package io.fedsecure.crypto.envelope;

/**
 * AES-256-GCM weight envelopes (JDK provider). Format, version 1: see the implementation's class
 * comment. The nonce is generated inside {@link #seal}; no API accepts one.
 * Thread-safe.
 */
public final class EnvelopeCipher {

  public EnvelopeCipher() {}

  /** Encrypts {@code plaintext} under {@code key}, bound to {@code context}. */
  public byte[] seal(WeightKey key, EnvelopeContext context, byte[] plaintext) {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  /**
   * Decrypts and authenticates. Throws a subtype of {@link EnvelopeException}; never returns
   * unauthenticated bytes.
   */
  public byte[] open(WeightKey key, EnvelopeContext context, byte[] envelope) throws EnvelopeException {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }
}
