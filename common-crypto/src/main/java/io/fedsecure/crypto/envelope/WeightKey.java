package io.fedsecure.crypto.envelope;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A node's AES-256 weight-encryption key with a public identifier. The key id is derived from the
 * key (not secret: it only lets the receiver tell which key an envelope claims); {@code toString}
 * never shows key material.
 */
public final class WeightKey {
  static final int KEY_BYTES = 32;
  static final int KEY_ID_BYTES = 8;
  private static final byte[] KEY_ID_TAG =
      "fedsecure-weight-key-id-v1\0".getBytes(StandardCharsets.US_ASCII);

  private final String keyId;
  private final SecretKey secretKey;

  private WeightKey(String keyId, SecretKey secretKey) {
    this.keyId = keyId;
    this.secretKey = secretKey;
  }

  /** Wraps exactly 32 raw key bytes; the id is derived from them. The array is copied. */
  public static WeightKey fromBytes(byte[] raw) {
    Objects.requireNonNull(raw, "raw");
    if (raw.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "a weight key must be exactly "
              + KEY_BYTES
              + " bytes (AES-256), got "
              + raw.length
              + " bytes");
    }
    return new WeightKey(HexFormat.of().formatHex(keyIdBytes(raw)), new SecretKeySpec(raw, "AES"));
  }

  /**
   * First 8 bytes of SHA-256 over a domain tag and the key: one-way, so the public id reveals
   * nothing usable about the key, and 64 bits make accidental collisions between nodes negligible.
   */
  static byte[] keyIdBytes(byte[] raw) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(KEY_ID_TAG);
      sha.update(raw);
      return Arrays.copyOf(sha.digest(), KEY_ID_BYTES);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  byte[] keyIdBytes() {
    return HexFormat.of().parseHex(keyId);
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
