package io.fedsecure.protocol;

import io.grpc.Metadata;

/**
 * The gRPC metadata entries that carry a Fleet request's signature (see {@code docs/protocol.md}).
 * Binary entries end in {@code -bin}, as gRPC requires; the timestamp is ASCII (ISO-8601, UTC).
 */
public final class FleetMetadata {

  /** The caller's public key: an X.509 SubjectPublicKeyInfo (DER). */
  public static final Metadata.Key<byte[]> PUBLIC_KEY =
      Metadata.Key.of("flwr-public-key-bin", Metadata.BINARY_BYTE_MARSHALLER);

  public static final Metadata.Key<String> TIMESTAMP =
      Metadata.Key.of("flwr-timestamp", Metadata.ASCII_STRING_MARSHALLER);

  /** 16 random bytes, fresh per request. */
  public static final Metadata.Key<byte[]> NONCE =
      Metadata.Key.of("flwr-nonce-bin", Metadata.BINARY_BYTE_MARSHALLER);

  /** ECDSA signature, DER. */
  public static final Metadata.Key<byte[]> SIGNATURE =
      Metadata.Key.of("flwr-signature-bin", Metadata.BINARY_BYTE_MARSHALLER);

  /**
   * Trailer of a refused Fleet call: {@link #PERMANENT} (unregistered key, rejected certificate,
   * bad signature: retrying cannot help) or {@link #TRANSIENT} (rate limit, replay-cache pressure,
   * clock skew: back off and retry).
   */
  public static final Metadata.Key<String> REFUSAL =
      Metadata.Key.of("fedsecure-refusal", Metadata.ASCII_STRING_MARSHALLER);

  /**
   * Trailer of a refused call: a short stable tag, e.g. {@code rate_limited}, {@code
   * stale_timestamp}.
   */
  public static final Metadata.Key<String> REFUSAL_REASON =
      Metadata.Key.of("fedsecure-refusal-reason", Metadata.ASCII_STRING_MARSHALLER);

  /**
   * Trailer of a refused call: the SuperLink's clock (ISO-8601, UTC) when it refused, to measure
   * skew.
   */
  public static final Metadata.Key<String> SERVER_TIME =
      Metadata.Key.of("fedsecure-server-time", Metadata.ASCII_STRING_MARSHALLER);

  public static final String PERMANENT = "permanent";
  public static final String TRANSIENT = "transient";

  private FleetMetadata() {}
}
