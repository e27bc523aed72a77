package io.fedsecure.crypto.auth;

import io.fedsecure.crypto.auth.SignatureRejectedException.Reason;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * Verifies request signatures: the signature itself, a clock-skew window around the timestamp, and
 * a bounded replay cache of nonces seen inside that window, with a quota per signing key.
 * Thread-safe.
 *
 * <p>Checks run cheapest-first, and the nonce is recorded only after the signature verified, so
 * forged requests cannot fill the replay cache.
 */
public final class RequestVerifier {

  /**
   * Keys seen before verify about twice as fast (see {@link EcdsaVerifier}); a converted P-384 key
   * with its table takes a few KB, so the default bounds the cache near 20 MB.
   */
  public static final int DEFAULT_KEY_CACHE_CAPACITY = 4096;

  private final Clock clock;
  private final Duration maxFuture;
  private final Duration maxAge;
  private final NonceCache nonces;
  private final EcdsaVerifier ecdsa;

  /**
   * @param maxFuture how far ahead of this clock a timestamp may be (e.g. 5 s)
   * @param maxAge how far behind (e.g. 60 s); nonces are remembered this long
   * @param replayCacheCapacity most nonces remembered at once; when full, new requests are refused
   *     (fail closed) rather than forgetting nonces still inside the window
   */
  public RequestVerifier(
      Clock clock, Duration maxFuture, Duration maxAge, int replayCacheCapacity) {
    this(clock, maxFuture, maxAge, replayCacheCapacity, replayCacheCapacity);
  }

  /**
   * @param noncesPerKey most nonces remembered at once for one public key; beyond, its requests are
   *     refused
   */
  public RequestVerifier(
      Clock clock, Duration maxFuture, Duration maxAge, int replayCacheCapacity, int noncesPerKey) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxFuture = requireNonNegative(maxFuture, "maxFuture");
    this.maxAge = requireNonNegative(maxAge, "maxAge");
    if (replayCacheCapacity <= 0) {
      throw new IllegalArgumentException(
          "replayCacheCapacity must be positive, got " + replayCacheCapacity);
    }
    if (noncesPerKey <= 0) {
      throw new IllegalArgumentException("noncesPerKey must be positive, got " + noncesPerKey);
    }
    this.nonces = new NonceCache(replayCacheCapacity, noncesPerKey);
    this.ecdsa = new EcdsaVerifier(DEFAULT_KEY_CACHE_CAPACITY);
  }

  /**
   * Accepts and records the nonce, or throws {@link SignatureRejectedException} with the reason.
   */
  public void verify(PublicKey key, String method, SignedRequest request, byte[] bodyDigest)
      throws SignatureRejectedException {
    recordNonce(key, request, checkSignature(key, method, request, bodyDigest));
  }

  /**
   * Records the nonce of a request whose signature {@link #checkSignature} accepted; refuses a
   * nonce already seen, or one more than the key's quota or the cache holds.
   */
  public void recordNonce(PublicKey key, SignedRequest request, Instant timestamp)
      throws SignatureRejectedException {
    NonceCache.Outcome outcome;
    synchronized (nonces) {
      outcome =
          nonces.record(key.getEncoded(), request.nonce(), timestamp.plus(maxAge), clock.instant());
    }
    switch (outcome) {
      case REPLAYED ->
          throw new SignatureRejectedException(
              Reason.REPLAYED_NONCE,
              "nonce was already used inside the "
                  + maxAge.toSeconds()
                  + " s window: replayed request");
      case KEY_QUOTA_EXCEEDED ->
          throw new SignatureRejectedException(
              Reason.KEY_NONCE_QUOTA_EXCEEDED,
              "this key sent more requests inside the "
                  + maxAge.toSeconds()
                  + " s window than the replay cache "
                  + "keeps for one key; slow down");
      case FULL ->
          throw new SignatureRejectedException(
              Reason.REPLAY_CACHE_FULL,
              "replay cache is full of unexpired nonces; refusing the request (fail closed)");
      case RECORDED -> {}
    }
  }

  /**
   * Checks the headers, the timestamp window and the signature without recording the nonce: for
   * callers that refuse the request anyway and must not let it take room in the replay cache.
   *
   * @return the signed timestamp
   */
  public Instant checkSignature(
      PublicKey key, String method, SignedRequest request, byte[] bodyDigest)
      throws SignatureRejectedException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(bodyDigest, "bodyDigest");
    if (request == null
        || request.timestamp() == null
        || request.nonce() == null
        || request.signature() == null) {
      throw new SignatureRejectedException(
          Reason.MALFORMED, "request signature headers are missing");
    }
    if (request.nonce().length != RequestSigner.NONCE_BYTES) {
      throw new SignatureRejectedException(
          Reason.MALFORMED,
          "nonce must be " + RequestSigner.NONCE_BYTES + " bytes, got " + request.nonce().length);
    }
    if (bodyDigest.length != RequestSigner.DIGEST_BYTES) {
      throw new SignatureRejectedException(
          Reason.MALFORMED, "body digest must be 32 bytes (SHA-256)");
    }
    Instant timestamp;
    try {
      timestamp = Instant.parse(request.timestamp());
    } catch (DateTimeParseException e) {
      throw new SignatureRejectedException(
          Reason.MALFORMED, "timestamp is not an ISO-8601 UTC instant");
    }
    Instant now = clock.instant();
    if (timestamp.isBefore(now.minus(maxAge))) {
      throw new SignatureRejectedException(
          Reason.STALE_TIMESTAMP,
          "timestamp "
              + timestamp
              + " is more than "
              + maxAge.toSeconds()
              + " s old (now "
              + now
              + ")");
    }
    if (timestamp.isAfter(now.plus(maxFuture))) {
      throw new SignatureRejectedException(
          Reason.FUTURE_TIMESTAMP,
          "timestamp "
              + timestamp
              + " is more than "
              + maxFuture.toSeconds()
              + " s in the future (now "
              + now
              + "); check the node's clock");
    }
    byte[] message =
        RequestSigner.canonicalBytes(method, request.timestamp(), request.nonce(), bodyDigest);
    if (!ecdsa.verify(key, message, request.signature())) {
      throw new SignatureRejectedException(
          Reason.BAD_SIGNATURE, "signature does not verify for this key, method and body");
    }
    return timestamp;
  }

  private static Duration requireNonNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, got " + d);
    }
    return d;
  }
}
