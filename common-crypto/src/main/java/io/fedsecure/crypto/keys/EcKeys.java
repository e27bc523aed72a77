package io.fedsecure.crypto.keys;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * SuperNode identity keys: EC P-384 (P-256 also accepted). Reads and writes PEM (PKCS#8 private,
 * SPKI public) and OpenSSH (what Flower's key scripts and {@code ssh-keygen -t ecdsa -b 384} write).
 */
public final class EcKeys {

  private EcKeys() {}

  /** A fresh P-384 key pair (BouncyCastle generation). */
  public static KeyPair generateP384() {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  /**
   * Parses a public key from PEM ({@code -----BEGIN PUBLIC KEY-----}) or OpenSSH
   * ({@code ecdsa-sha2-nistp384 AAAA... comment}) text. Refuses private keys, other curves and
   * other algorithms with a message that says which.
   */
  public static PublicKey parsePublicKey(String text) throws KeyFormatException {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  /** Reads a private key file: PEM PKCS#8, PEM SEC1 ("EC PRIVATE KEY") or OpenSSH private key. */
  public static KeyPair readKeyPair(Path privateKeyFile) throws KeyFileException {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  /** Reads a public key file in either PEM or OpenSSH form. */
  public static PublicKey readPublicKey(Path file) throws KeyFileException {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  /** Writes the private key in OpenSSH format (mode 600) and {@code file + ".pub"} in OpenSSH form. */
  public static void writeOpenSsh(KeyPair pair, Path privateKeyFile, String comment) throws KeyFileException {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  public static String toPemPublic(PublicKey key) {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  public static String toPemPrivatePkcs8(PrivateKey key) {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  public static String toOpenSshPublic(PublicKey key, String comment) {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  /** "SHA256:" + unpadded base64 of SHA-256 over the SubjectPublicKeyInfo DER. */
  public static String fingerprint(PublicKey key) {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  /** Decodes SubjectPublicKeyInfo DER (as sent in {@code flwr-public-key-bin}). */
  public static PublicKey fromSpki(byte[] der) throws KeyFormatException {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }
}
