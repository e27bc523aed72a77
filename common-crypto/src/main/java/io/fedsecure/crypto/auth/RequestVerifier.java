package io.fedsecure.crypto.auth;

import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;

/**
 * Verifies request signatures: the signature itself, a clock-skew window around the timestamp, and
 * a bounded replay cache of nonces seen inside that window. Thread-safe.
 */
public final class RequestVerifier {

  /**
   * @param maxFuture how far ahead of this clock a timestamp may be (e.g. 5 s)
   * @param maxAge how far behind (e.g. 60 s); nonces are remembered this long
   * @param replayCacheCapacity most nonces remembered at once; when full, new requests are refused
   *     (fail closed) rather than forgetting nonces still inside the window
   */
  public RequestVerifier(Clock clock, Duration maxFuture, Duration maxAge, int replayCacheCapacity) {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  /** Accepts or throws {@link SignatureRejectedException} with the reason. */
  public void verify(PublicKey key, String method, SignedRequest request, byte[] bodyDigest)
      throws SignatureRejectedException {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }
}
