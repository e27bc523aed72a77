package io.fedsecure.crypto.auth;

import java.security.KeyPair;
import java.time.Clock;

/** Signs requests with a node's EC identity key. Thread-safe. */
public final class RequestSigner {

  public RequestSigner(KeyPair keyPair, Clock clock) {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  /**
   * @param method the full gRPC method name, e.g. "fedsecure.fleet.v1.Fleet/SendHeartbeat"
   * @param bodyDigest {@link RequestDigest} of the request's messages
   */
  public SignedRequest sign(String method, byte[] bodyDigest) {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  /** The exact bytes that are signed: a versioned, unambiguous encoding of all four inputs. */
  public static byte[] canonicalBytes(String method, String timestamp, byte[] nonce, byte[] bodyDigest) {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }
}
