package io.fedsecure.crypto.envelope;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Security;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The AES-GCM primitive: 96-bit nonce, 128-bit tag, always the JDK's SunJCE provider (AES-NI; about
 * 60 times BouncyCastle's speed here). The tag length is a constant, never read from input.
 * Encryption with a caller-chosen nonce is package-private: only {@link EnvelopeCipher} (with a
 * fresh random nonce) and the Wycheproof tests call it.
 */
final class AesGcm {

  static final int NONCE_BYTES = 12;
  static final int TAG_BYTES = 16;
  private static final Provider SUN_JCE = requireSunJce();

  private AesGcm() {}

  /**
   * A run of bytes inside an array: where a plaintext or ciphertext is read, or where output goes.
   */
  record Bytes(byte[] array, int offset, int length) {
    static Bytes of(byte[] array) {
      return new Bytes(array, 0, array.length);
    }
  }

  /**
   * Writes {@code in.length() + TAG_BYTES} bytes (ciphertext then tag) to {@code out} at its
   * offset.
   */
  static void encrypt(SecretKey key, byte[] nonce, byte[] aad, Bytes in, Bytes out) {
    try {
      Cipher c = init(Cipher.ENCRYPT_MODE, key, nonce, aad);
      c.doFinal(in.array(), in.offset(), in.length(), out.array(), out.offset());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "AES-GCM encryption failed (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  /**
   * Decrypts {@code in} (ciphertext then tag) into {@code out} at its offset; writes {@code
   * in.length() - TAG_BYTES} bytes.
   *
   * @throws AEADBadTagException if authentication fails (nothing usable is in {@code out} then)
   */
  static void decrypt(SecretKey key, byte[] nonce, byte[] aad, Bytes in, Bytes out)
      throws AEADBadTagException {
    if (nonce.length != NONCE_BYTES || in.length() < TAG_BYTES) {
      throw new AEADBadTagException("nonce or tag length is wrong");
    }
    try {
      Cipher c = init(Cipher.DECRYPT_MODE, key, nonce, aad);
      c.doFinal(in.array(), in.offset(), in.length(), out.array(), out.offset());
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "AES-GCM decryption failed (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private static Cipher init(int mode, SecretKey key, byte[] nonce, byte[] aad)
      throws GeneralSecurityException {
    if (nonce.length != NONCE_BYTES) {
      throw new IllegalArgumentException(
          "AES-GCM nonce must be " + NONCE_BYTES + " bytes, got " + nonce.length);
    }
    // A new Cipher per call: SunJCE refuses to re-init GCM encryption with a previously used key
    // and
    // nonce pair, and Cipher objects are not thread-safe. getInstance is cheap next to 1 MiB of
    // data.
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding", SUN_JCE);
    c.init(mode, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
    c.updateAAD(aad);
    return c;
  }

  private static Provider requireSunJce() {
    Provider p = Security.getProvider("SunJCE");
    if (p == null) {
      throw new IllegalStateException("the JDK's SunJCE provider is missing; AES-GCM needs it");
    }
    return p;
  }
}
