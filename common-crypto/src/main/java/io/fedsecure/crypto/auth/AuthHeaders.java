package io.fedsecure.crypto.auth;

/** Names of the gRPC metadata entries that carry a request signature (binary ones end in -bin). */
public final class AuthHeaders {
  public static final String PUBLIC_KEY = "flwr-public-key-bin";
  public static final String TIMESTAMP = "flwr-timestamp";
  public static final String NONCE = "flwr-nonce-bin";
  public static final String SIGNATURE = "flwr-signature-bin";

  private AuthHeaders() {}
}
