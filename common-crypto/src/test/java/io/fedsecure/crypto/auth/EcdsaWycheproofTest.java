package io.fedsecure.crypto.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsecure.crypto.keys.EcKeys;
import io.fedsecure.crypto.testing.TestVectors;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Wycheproof ECDSA vectors through the project's own verification path ({@link EcdsaVerifier}).
 * Every "valid" case must verify and every "invalid" one must be refused. "acceptable" cases (e.g.
 * legacy encodings some libraries tolerate) are run but not asserted: refusing them is fine.
 */
class EcdsaWycheproofTest {

  @ParameterizedTest
  @CsvSource({
    "ecdsa_secp384r1_sha384_test.json, SHA-384",
    "ecdsa_secp256r1_sha256_test.json, SHA-256"
  })
  void everyValidCaseVerifiesAndEveryInvalidCaseIsRefused(String file, String sha)
      throws Exception {
    JsonNode root = TestVectors.wycheproof(file);
    // One verifier for the whole file: each key's cached form then meets valid and invalid cases
    // alike.
    EcdsaVerifier verifier = new EcdsaVerifier(4);
    List<String> failures = new ArrayList<>();
    int valid = 0;
    int invalid = 0;
    int acceptable = 0;
    for (JsonNode group : root.get("testGroups")) {
      assertThat(group.get("sha").asText()).isEqualTo(sha);
      PublicKey key = EcKeys.fromSpki(TestVectors.hex(group.get("publicKeyDer")));
      for (JsonNode test : group.get("tests")) {
        boolean accepted =
            verifier.verify(
                key, TestVectors.hex(test.get("msg")), TestVectors.hex(test.get("sig")));
        String result = test.get("result").asText();
        switch (result) {
          case "valid" -> {
            valid++;
            if (!accepted) {
              failures.add(
                  "tcId "
                      + test.get("tcId")
                      + " (valid, "
                      + test.get("comment").asText()
                      + ") was refused");
            }
          }
          case "invalid" -> {
            invalid++;
            if (accepted) {
              failures.add(
                  "tcId "
                      + test.get("tcId")
                      + " (invalid, "
                      + test.get("comment").asText()
                      + ") was accepted");
            }
          }
          default -> acceptable++;
        }
      }
    }
    System.out.printf(
        "Wycheproof %s: %d valid, %d invalid, %d acceptable cases run%n",
        file, valid, invalid, acceptable);
    assertThat(failures).isEmpty();
    assertThat(valid + invalid + acceptable).isEqualTo(root.get("numberOfTests").asInt());
    assertThat(valid).isPositive();
    assertThat(invalid).isPositive();
  }
}
