package io.fedsecure.crypto.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsecure.crypto.testing.TestVectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof AES-GCM vectors, the groups with a 256-bit key, 96-bit IV and 128-bit tag (the only
 * parameters envelopes use), through the project's primitive {@link AesGcm}. Valid cases must
 * encrypt to the expected ciphertext and tag and decrypt back; invalid ones must fail to decrypt.
 */
class AesGcmWycheproofTest {

  @Test
  void the256BitKeyGroupsPass() {
    JsonNode root = TestVectors.wycheproof("aes_gcm_test.json");
    List<String> failures = new ArrayList<>();
    int valid = 0;
    int invalid = 0;
    for (JsonNode group : root.get("testGroups")) {
      if (group.get("keySize").asInt() != 256
          || group.get("ivSize").asInt() != 96
          || group.get("tagSize").asInt() != 128) {
        continue;
      }
      for (JsonNode t : group.get("tests")) {
        SecretKeySpec key = new SecretKeySpec(TestVectors.hex(t.get("key")), "AES");
        byte[] iv = TestVectors.hex(t.get("iv"));
        byte[] aad = TestVectors.hex(t.get("aad"));
        byte[] msg = TestVectors.hex(t.get("msg"));
        byte[] ctAndTag = concat(TestVectors.hex(t.get("ct")), TestVectors.hex(t.get("tag")));
        String id = "tcId " + t.get("tcId") + " (" + t.get("comment").asText() + ")";
        boolean decrypted = decrypts(key, iv, aad, ctAndTag, msg);
        if ("valid".equals(t.get("result").asText())) {
          valid++;
          byte[] out = new byte[msg.length + AesGcm.TAG_BYTES];
          AesGcm.encrypt(key, iv, aad, AesGcm.Bytes.of(msg), AesGcm.Bytes.of(out));
          if (!Arrays.equals(out, ctAndTag)) {
            failures.add(id + ": wrong ciphertext or tag");
          }
          if (!decrypted) {
            failures.add(id + ": valid case did not decrypt");
          }
        } else {
          invalid++;
          if (decrypted) {
            failures.add(id + ": invalid case decrypted");
          }
        }
      }
    }
    System.out.printf(
        "Wycheproof aes_gcm_test.json (256-bit key, 96-bit IV, 128-bit tag): %d valid, %d invalid cases run%n",
        valid, invalid);
    assertThat(failures).isEmpty();
    assertThat(valid).isGreaterThan(10);
    assertThat(invalid).isGreaterThan(10);
  }

  private static boolean decrypts(
      SecretKeySpec key, byte[] iv, byte[] aad, byte[] ctAndTag, byte[] expected) {
    if (ctAndTag.length < AesGcm.TAG_BYTES) {
      return false;
    }
    byte[] out = new byte[ctAndTag.length - AesGcm.TAG_BYTES];
    try {
      AesGcm.decrypt(key, iv, aad, AesGcm.Bytes.of(ctAndTag), AesGcm.Bytes.of(out));
      return Arrays.equals(out, expected);
    } catch (AEADBadTagException e) {
      return false;
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
