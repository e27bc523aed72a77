package io.fedsecure.crypto.keys;

/** A key file that is missing, unsafe or malformed; the message names the file and the fix. */
public final class KeyFileException extends Exception {
  public KeyFileException(String message) {
    super(message);
  }

  public KeyFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
