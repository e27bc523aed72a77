package io.fedsecure.crypto.internal;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * One BouncyCastle provider instance, passed explicitly where needed. It is deliberately not
 * registered with {@code Security.addProvider}: that would change which provider every other {@code
 * getInstance} call in the JVM (TLS, AES-GCM) picks.
 */
public final class BouncyCastle {
  public static final Provider PROVIDER = new BouncyCastleProvider();

  private BouncyCastle() {}
}
