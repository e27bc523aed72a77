package io.fedsecure.crypto.auth;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 over a request body: every message, in order, each prefixed by its length as an 8-byte
 * big-endian integer. One message for a unary call; all of them for a client stream. The length
 * prefix keeps message boundaries in the digest, so [ab, c] and [a, bc] differ.
 */
public final class RequestDigest {

  private final MessageDigest sha256;
  private final ByteBuffer length = ByteBuffer.allocate(Long.BYTES);
  private boolean finished;

  public RequestDigest() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  public RequestDigest update(byte[] message) {
    if (finished) {
      throw new IllegalStateException("digest() was already called on this RequestDigest");
    }
    length.clear();
    length.putLong(message.length);
    sha256.update(length.array());
    sha256.update(message);
    return this;
  }

  /** The 32-byte digest; the object must not be used afterwards. */
  public byte[] digest() {
    if (finished) {
      throw new IllegalStateException("digest() was already called on this RequestDigest");
    }
    finished = true;
    return sha256.digest();
  }

  public static byte[] of(byte[]... messages) {
    RequestDigest d = new RequestDigest();
    for (byte[] m : messages) {
      d.update(m);
    }
    return d.digest();
  }
}
