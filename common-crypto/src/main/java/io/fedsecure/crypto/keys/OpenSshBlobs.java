package io.fedsecure.crypto.keys;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads the cipher name at the head of an "openssh-key-v1" blob. BouncyCastle only parses
 * unencrypted keys and reports encrypted ones obscurely; looking here first lets the error say
 * "remove the passphrase".
 */
final class OpenSshBlobs {

  private static final byte[] MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);

  private OpenSshBlobs() {}

  /** The cipher name, or null if the blob does not start like an OpenSSH private key. */
  static String cipherName(byte[] blob) {
    try {
      ByteBuffer b = ByteBuffer.wrap(blob);
      byte[] magic = new byte[MAGIC.length];
      b.get(magic);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        return null;
      }
      int len = b.getInt();
      if (len < 0 || len > 64 || len > b.remaining()) {
        return null;
      }
      byte[] name = new byte[len];
      b.get(name);
      return new String(name, StandardCharsets.US_ASCII);
    } catch (BufferUnderflowException e) {
      return null;
    }
  }
}
