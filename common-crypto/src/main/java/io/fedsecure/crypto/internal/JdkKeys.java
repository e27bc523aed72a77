package io.fedsecure.crypto.internal;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;

/**
 * Re-creates keys through the JDK's own EC key factory. Keys generated or parsed with BouncyCastle
 * then behave like any other JDK key: {@code equals} across sources, TLS stacks, KeyStores.
 */
public final class JdkKeys {

  private JdkKeys() {}

  public static KeyPair ec(KeyPair pair) {
    return new KeyPair(
        ecPublic(pair.getPublic().getEncoded()), ecPrivate(pair.getPrivate().getEncoded()));
  }

  public static PublicKey ecPublic(byte[] spki) {
    try {
      return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an EC SubjectPublicKeyInfo the JDK accepts", e);
    }
  }

  public static PrivateKey ecPrivate(byte[] pkcs8) {
    try {
      return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      // No cause: an exception about key bytes must not carry them anywhere.
      throw new IllegalArgumentException("not an EC PKCS#8 private key the JDK accepts");
    }
  }
}
