package io.fedsecure.crypto.keys;

/**
 * Key text that cannot be used: malformed, a private key where a public one is expected, an
 * unsupported curve.
 */
public final class KeyFormatException extends Exception {
  public KeyFormatException(String message) {
    super(message);
  }

  public KeyFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
