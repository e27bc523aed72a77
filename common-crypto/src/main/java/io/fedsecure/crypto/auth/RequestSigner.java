package io.fedsecure.crypto.auth;

import io.fedsecure.crypto.internal.EcCurves;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/** Signs requests with a node's EC identity key. Thread-safe. */
public final class RequestSigner {

  /** Domain separation: these signatures can never be mistaken for signatures over anything else. */
  static final String DOMAIN_TAG = "fedsecure-request-v1";
  static final int NONCE_BYTES = 16;
  static final int DIGEST_BYTES = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyPair keyPair;
  private final Clock clock;
  private final String algorithm;
  private final byte[] spki;

  public RequestSigner(KeyPair keyPair, Clock clock) {
    this.keyPair = Objects.requireNonNull(keyPair, "keyPair");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.algorithm = EcCurves.require(keyPair.getPublic()).signatureAlgorithm();
    this.spki = keyPair.getPublic().getEncoded();
  }

  /**
   * @param method the full gRPC method name, e.g. "fedsecure.fleet.v1.Fleet/SendHeartbeat"
   * @param bodyDigest {@link RequestDigest} of the request's messages
   */
  public SignedRequest sign(String method, byte[] bodyDigest) {
    String timestamp = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.MILLIS));
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    byte[] message = canonicalBytes(method, timestamp, nonce, bodyDigest);
    try {
      Signature s = Signature.getInstance(algorithm);
      s.initSign(keyPair.getPrivate(), RANDOM);
      s.update(message);
      return new SignedRequest(spki.clone(), timestamp, nonce, s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " signing failed", e);
    }
  }

  /**
   * The exact bytes that are signed: a versioned, unambiguous encoding of all four inputs. Each
   * field is a 4-byte big-endian length followed by its bytes (strings as UTF-8), in the order
   * domain tag, method, timestamp, nonce, body digest.
   */
  public static byte[] canonicalBytes(String method, String timestamp, byte[] nonce, byte[] bodyDigest) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(nonce, "nonce");
    Objects.requireNonNull(bodyDigest, "bodyDigest");
    if (bodyDigest.length != DIGEST_BYTES) {
      throw new IllegalArgumentException("bodyDigest must be a 32-byte SHA-256 (RequestDigest), got "
          + bodyDigest.length + " bytes");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(128 + method.length());
    field(out, DOMAIN_TAG.getBytes(StandardCharsets.US_ASCII));
    field(out, method.getBytes(StandardCharsets.UTF_8));
    field(out, timestamp.getBytes(StandardCharsets.UTF_8));
    field(out, nonce);
    field(out, bodyDigest);
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, byte[] value) {
    out.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(value.length).array());
    out.writeBytes(value);
  }
}
