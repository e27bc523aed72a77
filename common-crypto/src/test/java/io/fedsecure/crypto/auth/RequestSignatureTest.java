package io.fedsecure.crypto.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsecure.crypto.auth.SignatureRejectedException.Reason;
import io.fedsecure.crypto.keys.EcKeys;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class RequestSignatureTest {

  private static final String METHOD = "fedsecure.fleet.v1.Fleet/SendHeartbeat";
  private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
  private static final KeyPair NODE = EcKeys.generateP384();
  private static final KeyPair OTHER = EcKeys.generateP384();

  private final MutableClock clock = new MutableClock(T0);
  private final RequestSigner signer = new RequestSigner(NODE, clock);
  private final RequestVerifier verifier =
      new RequestVerifier(clock, Duration.ofSeconds(5), Duration.ofSeconds(60), 1000);
  private final byte[] body = RequestDigest.of("hello".getBytes(StandardCharsets.UTF_8));

  @Test
  void aFreshSignatureVerifies() {
    SignedRequest r = signer.sign(METHOD, body);
    assertThat(r.timestamp()).isEqualTo("2025-06-01T12:00:00Z");
    assertThat(r.nonce()).hasSize(16);
    assertThat(r.publicKeySpki()).isEqualTo(NODE.getPublic().getEncoded());
    assertThatCode(() -> verifier.verify(NODE.getPublic(), METHOD, r, body))
        .doesNotThrowAnyException();
  }

  @Test
  void p256KeysSignAndVerifyToo() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair p256 = g.generateKeyPair();
    SignedRequest r = new RequestSigner(p256, clock).sign(METHOD, body);
    assertThatCode(() -> verifier.verify(p256.getPublic(), METHOD, r, body))
        .doesNotThrowAnyException();
  }

  @Test
  void aTamperedSignatureIsRefused() {
    SignedRequest r = signer.sign(METHOD, body);
    byte[] sig = r.signature().clone();
    sig[sig.length - 1] ^= 1;
    rejected(
        NODE,
        METHOD,
        new SignedRequest(r.publicKeySpki(), r.timestamp(), r.nonce(), sig),
        body,
        Reason.BAD_SIGNATURE);
  }

  @Test
  void anotherKeysSignatureIsRefused() {
    SignedRequest r = signer.sign(METHOD, body);
    rejected(OTHER, METHOD, r, body, Reason.BAD_SIGNATURE);
  }

  @Test
  void aChangedMethodIsRefused() {
    SignedRequest r = signer.sign(METHOD, body);
    rejected(NODE, "fedsecure.fleet.v1.Fleet/DeactivateNode", r, body, Reason.BAD_SIGNATURE);
  }

  @Test
  void aChangedBodyIsRefused() {
    SignedRequest r = signer.sign(METHOD, body);
    rejected(
        NODE,
        METHOD,
        r,
        RequestDigest.of("hellO".getBytes(StandardCharsets.UTF_8)),
        Reason.BAD_SIGNATURE);
  }

  @Test
  void aChangedTimestampOrNonceIsRefused() {
    SignedRequest r = signer.sign(METHOD, body);
    rejected(
        NODE,
        METHOD,
        new SignedRequest(r.publicKeySpki(), "2025-06-01T12:00:01Z", r.nonce(), r.signature()),
        body,
        Reason.BAD_SIGNATURE);
    byte[] nonce = r.nonce().clone();
    nonce[0] ^= 1;
    rejected(
        NODE,
        METHOD,
        new SignedRequest(r.publicKeySpki(), r.timestamp(), nonce, r.signature()),
        body,
        Reason.BAD_SIGNATURE);
  }

  @Test
  void staleAndFutureTimestampsAreRefusedAtTheWindowEdges() {
    SignedRequest r = signer.sign(METHOD, body);
    clock.set(T0.plusSeconds(60));
    assertThatCode(() -> verifier.verify(NODE.getPublic(), METHOD, r, body))
        .doesNotThrowAnyException();
    SignedRequest r2 = signer.sign(METHOD, body);
    clock.set(T0.plusSeconds(60).plusMillis(1).plusSeconds(60));
    rejected(NODE, METHOD, r2, body, Reason.STALE_TIMESTAMP);

    clock.set(T0);
    SignedRequest ahead =
        new RequestSigner(NODE, Clock.fixed(T0.plusSeconds(5), ZoneOffset.UTC)).sign(METHOD, body);
    assertThatCode(() -> verifier.verify(NODE.getPublic(), METHOD, ahead, body))
        .doesNotThrowAnyException();
    SignedRequest tooFar =
        new RequestSigner(NODE, Clock.fixed(T0.plusSeconds(5).plusMillis(1), ZoneOffset.UTC))
            .sign(METHOD, body);
    rejected(NODE, METHOD, tooFar, body, Reason.FUTURE_TIMESTAMP);
  }

  @Test
  void aReplayedNonceIsRefusedInsideTheWindow() throws Exception {
    SignedRequest r = signer.sign(METHOD, body);
    verifier.verify(NODE.getPublic(), METHOD, r, body);
    clock.set(T0.plusSeconds(30));
    rejected(NODE, METHOD, r, body, Reason.REPLAYED_NONCE);
  }

  @Test
  void aMalformedTimestampOrNonceIsRefused() {
    SignedRequest r = signer.sign(METHOD, body);
    rejected(
        NODE,
        METHOD,
        new SignedRequest(r.publicKeySpki(), "yesterday", r.nonce(), r.signature()),
        body,
        Reason.MALFORMED);
    rejected(
        NODE,
        METHOD,
        new SignedRequest(r.publicKeySpki(), r.timestamp(), new byte[8], r.signature()),
        body,
        Reason.MALFORMED);
    rejected(NODE, METHOD, null, body, Reason.MALFORMED);
  }

  @Test
  void oneKeyThatUsedUpItsNonceQuotaIsRefusedWhileAnotherKeyIsStillAccepted() throws Exception {
    RequestVerifier perKey =
        new RequestVerifier(clock, Duration.ofSeconds(5), Duration.ofSeconds(60), 100, 2);
    perKey.verify(NODE.getPublic(), METHOD, signer.sign(METHOD, body), body);
    perKey.verify(NODE.getPublic(), METHOD, signer.sign(METHOD, body), body);
    SignedRequest third = signer.sign(METHOD, body);

    assertThatThrownBy(() -> perKey.verify(NODE.getPublic(), METHOD, third, body))
        .extracting(e -> ((SignatureRejectedException) e).reason())
        .isEqualTo(Reason.KEY_NONCE_QUOTA_EXCEEDED);
    assertThatCode(
            () ->
                perKey.verify(
                    OTHER.getPublic(),
                    METHOD,
                    new RequestSigner(OTHER, clock).sign(METHOD, body),
                    body))
        .doesNotThrowAnyException();
    clock.set(T0.plusSeconds(61));
    assertThatCode(() -> perKey.verify(NODE.getPublic(), METHOD, signer.sign(METHOD, body), body))
        .doesNotThrowAnyException();
  }

  @Test
  void aFullCacheFailsClosedUntilNoncesExpireAndForgeriesDoNotFillIt() throws Exception {
    RequestVerifier small =
        new RequestVerifier(clock, Duration.ofSeconds(5), Duration.ofSeconds(60), 2);
    // Forged requests first: they must not take cache slots.
    for (int i = 0; i < 5; i++) {
      SignedRequest forged = new RequestSigner(OTHER, clock).sign(METHOD, body);
      assertThatThrownBy(() -> small.verify(NODE.getPublic(), METHOD, forged, body))
          .extracting(e -> ((SignatureRejectedException) e).reason())
          .isEqualTo(Reason.BAD_SIGNATURE);
    }
    small.verify(NODE.getPublic(), METHOD, signer.sign(METHOD, body), body);
    small.verify(NODE.getPublic(), METHOD, signer.sign(METHOD, body), body);
    SignedRequest third = signer.sign(METHOD, body);
    assertThatThrownBy(() -> small.verify(NODE.getPublic(), METHOD, third, body))
        .extracting(e -> ((SignatureRejectedException) e).reason())
        .isEqualTo(Reason.REPLAY_CACHE_FULL);

    clock.set(T0.plusSeconds(61));
    small.verify(NODE.getPublic(), METHOD, signer.sign(METHOD, body), body);
  }

  @Test
  void canonicalBytesAreUnambiguous() {
    byte[] nonce = new byte[16];
    byte[] a = RequestSigner.canonicalBytes("ab", "c", nonce, body);
    byte[] b = RequestSigner.canonicalBytes("a", "bc", nonce, body);
    assertThat(a).isNotEqualTo(b);
    assertThat(new String(a, StandardCharsets.US_ASCII)).contains("fedsecure-request-v1");
  }

  @Test
  void requestDigestKeepsMessageBoundaries() {
    byte[] one = RequestDigest.of("abc".getBytes(StandardCharsets.UTF_8));
    byte[] two =
        RequestDigest.of(
            "ab".getBytes(StandardCharsets.UTF_8), "c".getBytes(StandardCharsets.UTF_8));
    assertThat(one).hasSize(32).isNotEqualTo(two);
    assertThat(RequestDigest.of()).isNotEqualTo(RequestDigest.of(new byte[0]));
  }

  @Test
  void noncesAreFresh() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      assertThat(seen.add(Arrays.toString(signer.sign(METHOD, body).nonce()))).isTrue();
    }
  }

  private AbstractThrowableAssert<?, ?> rejected(
      KeyPair key, String method, SignedRequest r, byte[] digest, Reason reason) {
    return assertThatThrownBy(() -> verifier.verify(key.getPublic(), method, r, digest))
        .isInstanceOf(SignatureRejectedException.class)
        .satisfies(
            e ->
                assertThat(((SignatureRejectedException) e).reason())
                    .as(e.getMessage())
                    .isEqualTo(reason));
  }

  private static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
