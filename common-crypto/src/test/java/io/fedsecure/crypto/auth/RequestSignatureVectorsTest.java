package io.fedsecure.crypto.auth;

import static io.fedsecure.crypto.testing.ProtocolVectors.flipped;
import static io.fedsecure.crypto.testing.ProtocolVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsecure.crypto.auth.SignatureRejectedException.Reason;
import io.fedsecure.crypto.internal.EcCurves;
import io.fedsecure.crypto.keys.EcKeys;
import io.fedsecure.crypto.testing.ProtocolVectors;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** docs/protocol-vectors/request-signature.json against the signing and verifying code. */
class RequestSignatureVectorsTest {

  private static final JsonNode FILE = ProtocolVectors.load("request-signature.json");

  static Stream<JsonNode> cases() {
    return ProtocolVectors.cases(FILE);
  }

  @Test
  void theFileNamesTheDomainTagTheSignerUses() {
    assertThat(FILE.get("domain_tag").asText()).isEqualTo(RequestSigner.DOMAIN_TAG);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void givenTheRequestMessagesWhenDigestedThenTheBodyDigestIsTheVectors(JsonNode vector) {
    RequestDigest digest = new RequestDigest();
    vector.get("messages").forEach(m -> digest.update(hex(m)));

    assertThat(digest.digest()).isEqualTo(hex(vector.get("body_digest")));
    byte[] first = hex(vector.get("messages").get(0));
    assertThat(RequestDigest.of(flipped(first, first.length - 1)))
        .isNotEqualTo(hex(vector.get("body_digest")));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void givenMethodTimestampNonceAndDigestWhenEncodedThenTheSignedMessageIsTheVectors(
      JsonNode vector) {
    byte[] encoded =
        RequestSigner.canonicalBytes(
            vector.get("method").asText(),
            vector.get("timestamp").asText(),
            hex(vector.get("nonce")),
            hex(vector.get("body_digest")));

    assertThat(encoded).isEqualTo(hex(vector.get("signed_message")));
    assertThat(
            RequestSigner.canonicalBytes(
                vector.get("method").asText(),
                vector.get("timestamp").asText(),
                flipped(hex(vector.get("nonce")), 0),
                hex(vector.get("body_digest"))))
        .isNotEqualTo(hex(vector.get("signed_message")));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void givenTheVectorsHeadersWhenVerifiedAtItsTimestampThenTheSignatureIsAccepted(JsonNode vector)
      throws Exception {
    PublicKey key = EcKeys.fromSpki(hex(vector.get("public_key_spki")));

    assertThatCode(
            () ->
                verifierAt(vector)
                    .verify(
                        key,
                        vector.get("method").asText(),
                        signed(vector, null),
                        hex(vector.get("body_digest"))))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void givenOneChangedByteInTheBodyDigestOrSignatureWhenVerifiedThenTheRequestIsRefused(
      JsonNode vector) throws Exception {
    PublicKey key = EcKeys.fromSpki(hex(vector.get("public_key_spki")));
    String method = vector.get("method").asText();
    byte[] digest = hex(vector.get("body_digest"));
    byte[] signature = hex(vector.get("signature_der"));

    assertThatThrownBy(
            () -> verifierAt(vector).verify(key, method, signed(vector, null), flipped(digest, 5)))
        .isInstanceOfSatisfying(
            SignatureRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
    assertThatThrownBy(
            () ->
                verifierAt(vector)
                    .verify(
                        key,
                        method,
                        signed(vector, flipped(signature, signature.length - 1)),
                        digest))
        .isInstanceOfSatisfying(
            SignatureRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void givenThePrivateKeyWhenTheSignedMessageIsSignedWithRfc6979ThenTheSignatureIsTheVectors(
      JsonNode vector) throws Exception {
    ECPrivateKey privateKey =
        (ECPrivateKey)
            KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(hex(vector.get("private_key_pkcs8"))));
    EcCurves curve = EcCurves.of(privateKey).orElseThrow();
    assertThat(curve)
        .isEqualTo(vector.get("curve").asText().equals("P-384") ? EcCurves.P384 : EcCurves.P256);
    assertThat(privateKey.getS())
        .isEqualTo(new BigInteger(vector.get("private_scalar").asText(), 16));

    byte[] message = hex(vector.get("signed_message"));
    Digest digest = curve.newDigest();
    digest.update(message, 0, message.length);
    byte[] hash = new byte[digest.getDigestSize()];
    digest.doFinal(hash, 0);
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(curve.newDigest()));
    signer.init(true, new ECPrivateKeyParameters(privateKey.getS(), curve.domain()));
    BigInteger[] rs = signer.generateSignature(hash);

    assertThat(StandardDSAEncoding.INSTANCE.encode(curve.domain().getN(), rs[0], rs[1]))
        .isEqualTo(hex(vector.get("signature_der")));
  }

  private static RequestVerifier verifierAt(JsonNode vector) {
    Clock clock = Clock.fixed(Instant.parse(vector.get("timestamp").asText()), ZoneOffset.UTC);
    return new RequestVerifier(clock, Duration.ofSeconds(5), Duration.ofSeconds(60), 16);
  }

  private static SignedRequest signed(JsonNode vector, byte[] signature) {
    return new SignedRequest(
        hex(vector.get("public_key_spki")),
        vector.get("timestamp").asText(),
        hex(vector.get("nonce")),
        signature != null ? signature : hex(vector.get("signature_der")));
  }
}
