package io.fedsecure.crypto.auth;

/**
 * SHA-256 over a request body: every message, in order, each prefixed by its length as an 8-byte
 * big-endian integer. One message for a unary call; all of them for a client stream.
 */
public final class RequestDigest {

  public RequestDigest() {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  public RequestDigest update(byte[] message) {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  /** The 32-byte digest; the object must not be used afterwards. */
  public byte[] digest() {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  public static byte[] of(byte[]... messages) {
    RequestDigest d = new RequestDigest();
    for (byte[] m : messages) {
      d.update(m);
    }
    return d.digest();
  }
}
