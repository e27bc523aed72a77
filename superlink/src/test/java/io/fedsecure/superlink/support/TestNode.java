package io.fedsecure.superlink.support;

import io.fedsecure.crypto.auth.RequestSigner;
import java.security.KeyPair;
import java.time.Clock;

/** A node registered through the Control API: its identity key pair and the id it was given. */
public record TestNode(KeyPair keys, long nodeId, String name) {
  public RequestSigner signer() {
    return new RequestSigner(keys, Clock.systemUTC());
  }
}
