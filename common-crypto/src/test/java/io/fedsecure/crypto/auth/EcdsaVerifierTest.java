package io.fedsecure.crypto.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsecure.crypto.keys.EcKeys;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * The cached verification path, and interoperability of the project's signatures with the JDK's
 * ECDSA.
 */
class EcdsaVerifierTest {

  private static final byte[] MESSAGE =
      "a request's canonical bytes".getBytes(StandardCharsets.UTF_8);
  private static final KeyPair A = EcKeys.generateP384();
  private static final KeyPair B = EcKeys.generateP384();

  @Test
  void keysEvictedAndReconvertedStillVerifyOnlyTheirOwnSignatures() throws Exception {
    // Capacity 1: every alternation between A and B evicts the other's converted key.
    EcdsaVerifier verifier = new EcdsaVerifier(1);
    byte[] byA = jdkSign(A);
    byte[] byB = jdkSign(B);
    for (int i = 0; i < 6; i++) {
      assertThat(verifier.verify(A.getPublic(), MESSAGE, byA))
          .as("A's signature under A, pass %d", i)
          .isTrue();
      assertThat(verifier.verify(B.getPublic(), MESSAGE, byA))
          .as("A's signature under B, pass %d", i)
          .isFalse();
      assertThat(verifier.verify(B.getPublic(), MESSAGE, byB))
          .as("B's signature under B, pass %d", i)
          .isTrue();
      assertThat(verifier.verify(A.getPublic(), MESSAGE, byB))
          .as("B's signature under A, pass %d", i)
          .isFalse();
    }
  }

  @Test
  void aCachedKeyStillRefusesAnAlteredMessage() throws Exception {
    EcdsaVerifier verifier = new EcdsaVerifier(16);
    byte[] signature = jdkSign(A);
    // Past BouncyCastle's five-use promotion point, where a different multiplication algorithm
    // takes over.
    for (int i = 0; i < 8; i++) {
      assertThat(verifier.verify(A.getPublic(), MESSAGE, signature)).isTrue();
    }
    byte[] altered = MESSAGE.clone();
    altered[0] ^= 1;
    assertThat(verifier.verify(A.getPublic(), altered, signature)).isFalse();
  }

  @Test
  void theSignersSignaturesAreStandardEcdsaTheJdkAccepts() throws Exception {
    RequestSigner signer = new RequestSigner(A, Clock.systemUTC());
    byte[] digest = RequestDigest.of(MESSAGE);
    SignedRequest signed = signer.sign("fedsecure.fleet.v1.Fleet/SendHeartbeat", digest);
    Signature jdk = Signature.getInstance("SHA384withECDSA", "SunEC");
    jdk.initVerify(A.getPublic());
    jdk.update(
        RequestSigner.canonicalBytes(
            "fedsecure.fleet.v1.Fleet/SendHeartbeat", signed.timestamp(), signed.nonce(), digest));
    assertThat(jdk.verify(signed.signature())).isTrue();
  }

  @Test
  void capacityMustBePositive() {
    assertThatThrownBy(() -> new EcdsaVerifier(0)).isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] jdkSign(KeyPair pair) throws Exception {
    Signature s = Signature.getInstance("SHA384withECDSA", "SunEC");
    s.initSign(pair.getPrivate());
    s.update(MESSAGE);
    return s.sign();
  }
}
