package io.fedsecure.crypto.envelope;

import javax.crypto.SecretKey;

/**
 * A node's AES-256 weight-encryption key with a public identifier. The key id is derived from the
 * key (not secret: it only lets the receiver tell which key an envelope claims); {@code toString}
 * never shows key material.
 */
public final class WeightKey {
  private final String keyId;
  private final SecretKey secretKey;

  private WeightKey(String keyId, SecretKey secretKey) {
    this.keyId = keyId;
    this.secretKey = secretKey;
  }

  /** Wraps exactly 32 raw key bytes; the id is derived from them. The array is copied. */
  public static WeightKey fromBytes(byte[] raw) {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  public String keyId() {
    return keyId;
  }

  /** For the cipher only. */
  SecretKey secretKey() {
    return secretKey;
  }

  @Override
  public String toString() {
    return "WeightKey[id=" + keyId + "]";
  }
}
