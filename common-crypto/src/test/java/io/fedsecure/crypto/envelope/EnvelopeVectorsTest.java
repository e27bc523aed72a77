package io.fedsecure.crypto.envelope;

import static io.fedsecure.crypto.testing.ProtocolVectors.flipped;
import static io.fedsecure.crypto.testing.ProtocolVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsecure.crypto.testing.ProtocolVectors;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/protocol-vectors/{key-id,associated-data,envelope}.json against the envelope code, and the
 * envelope's segments against a plain AES-GCM decryption as another implementation would do it.
 */
class EnvelopeVectorsTest {

  static Stream<JsonNode> keyIds() {
    return ProtocolVectors.cases(ProtocolVectors.load("key-id.json"));
  }

  static Stream<JsonNode> associatedData() {
    return ProtocolVectors.cases(ProtocolVectors.load("associated-data.json"));
  }

  static Stream<JsonNode> envelopes() {
    return ProtocolVectors.cases(ProtocolVectors.load("envelope.json"));
  }

  @ParameterizedTest
  @MethodSource("keyIds")
  void givenAKeyWhenWrappedThenItsKeyIdIsTheVectors(JsonNode vector) {
    byte[] key = hex(vector.get("key"));

    assertThat(WeightKey.fromBytes(key).keyId()).isEqualTo(vector.get("key_id").asText());
    assertThat(WeightKey.fromBytes(flipped(key, 31)).keyId())
        .isNotEqualTo(vector.get("key_id").asText());
  }

  @ParameterizedTest
  @MethodSource("associatedData")
  void givenAContextWhenEncodedThenTheAssociatedDataIsTheVectors(JsonNode vector) {
    byte[] expected = hex(vector.get("associated_data"));

    assertThat(context(vector.get("context")).associatedData())
        .isEqualTo(expected)
        .hasSize(EnvelopeContext.AD_LENGTH);
    JsonNode other = vector.get("context").deepCopy();
    ((ObjectNode) other).put("round", other.get("round").asInt() + 1);
    assertThat(context(other).associatedData()).isNotEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource("envelopes")
  void givenTheEnvelopeWhenItsHeaderIsParsedThenTheFieldsAreTheVectors(JsonNode vector)
      throws Exception {
    byte[] envelope = hex(vector.get("envelope"));
    JsonNode header = vector.get("header");

    EnvelopeCipher.Header parsed = EnvelopeCipher.Header.parse(envelope);

    assertThat(new String(envelope, 0, 4, StandardCharsets.US_ASCII))
        .isEqualTo(header.get("magic").asText());
    assertThat(envelope[4] & 0xff).isEqualTo(header.get("version").asInt());
    assertThat(parsed.keyId()).isEqualTo(hex(header.get("key_id")));
    assertThat(WeightKey.fromBytes(hex(vector.get("key"))).keyId())
        .isEqualTo(header.get("key_id").asText());
    assertThat(parsed.segmentSize()).isEqualTo(header.get("segment_size").asInt());
    assertThat(parsed.segmentCount()).isEqualTo(header.get("segment_count").asInt());
    assertThat(parsed.plaintextLength()).isEqualTo(header.get("plaintext_length").asLong());
    assertThat(Arrays.copyOf(envelope, EnvelopeCipher.HEADER_BYTES))
        .isEqualTo(hex(header.get("bytes")));
  }

  @ParameterizedTest
  @MethodSource("envelopes")
  void givenTheKeyAndContextWhenTheEnvelopeIsOpenedWholeOrStreamedThenThePlaintextComesOut(
      JsonNode vector) throws Exception {
    WeightKey key = WeightKey.fromBytes(hex(vector.get("key")));
    EnvelopeContext context = context(vector.get("context"));
    byte[] envelope = hex(vector.get("envelope"));
    byte[] plaintext = hex(vector.get("plaintext"));

    assertThat(new EnvelopeCipher().open(key, context, envelope)).isEqualTo(plaintext);

    ByteArrayOutputStream streamed = new ByteArrayOutputStream();
    EnvelopeOpener opener = new EnvelopeCipher().openStream(key, context);
    for (int off = 0; off < envelope.length; off += 7) {
      opener.update(
          envelope,
          off,
          Math.min(7, envelope.length - off),
          (plain, n) -> streamed.write(plain, 0, n));
    }
    opener.finish();
    assertThat(streamed.toByteArray()).isEqualTo(plaintext);
  }

  @ParameterizedTest
  @MethodSource("envelopes")
  void givenAnyOneChangedByteWhenTheEnvelopeIsOpenedThenItIsRefused(JsonNode vector) {
    WeightKey key = WeightKey.fromBytes(hex(vector.get("key")));
    EnvelopeContext context = context(vector.get("context"));
    byte[] envelope = hex(vector.get("envelope"));
    List<Integer> opened = new ArrayList<>();

    for (int i = 0; i < envelope.length; i++) {
      try {
        new EnvelopeCipher().open(key, context, flipped(envelope, i));
        opened.add(i);
      } catch (EnvelopeException expected) {
        // refused, as it must be
      }
    }

    assertThat(opened).as("byte positions whose change went unnoticed").isEmpty();
    byte[] otherDigest = flipped(context.layoutDigest(), 0);
    EnvelopeContext moved =
        new EnvelopeContext(
            context.runId(),
            context.round(),
            context.nodeId(),
            context.direction(),
            context.kind(),
            otherDigest);
    assertThatThrownBy(() -> new EnvelopeCipher().open(key, moved, envelope))
        .isInstanceOf(EnvelopeAuthenticationException.class);
  }

  @ParameterizedTest
  @MethodSource("envelopes")
  void
      givenTheListedNonceAndAssociatedDataWhenEachSegmentIsDecryptedWithPlainAesGcmThenThePlaintextComesOut(
          JsonNode vector) throws Exception {
    byte[] header = hex(vector.get("header").get("bytes"));
    byte[] contextAd = context(vector.get("context")).associatedData();
    ByteArrayOutputStream plaintext = new ByteArrayOutputStream();
    ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
    rebuilt.writeBytes(header);
    JsonNode segments = vector.get("segments");

    for (JsonNode segment : segments) {
      int index = segment.get("index").asInt();
      boolean last = index == segments.size() - 1;
      assertThat(segment.get("last").asBoolean()).isEqualTo(last);
      byte[] ad =
          ByteBuffer.allocate(header.length + contextAd.length + 5)
              .put(header)
              .put(contextAd)
              .putInt(index)
              .put((byte) (last ? 1 : 0))
              .array();
      assertThat(ad).isEqualTo(hex(segment.get("associated_data")));
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(hex(vector.get("key")), "AES"),
          new GCMParameterSpec(128, hex(segment.get("nonce"))));
      gcm.updateAAD(ad);
      byte[] ciphertext = hex(segment.get("ciphertext"));
      byte[] tag = hex(segment.get("tag"));
      plaintext.writeBytes(
          gcm.doFinal(
              ByteBuffer.allocate(ciphertext.length + tag.length)
                  .put(ciphertext)
                  .put(tag)
                  .array()));
      rebuilt.writeBytes(hex(segment.get("nonce")));
      rebuilt.writeBytes(ciphertext);
      rebuilt.writeBytes(tag);
    }

    assertThat(plaintext.toByteArray()).isEqualTo(hex(vector.get("plaintext")));
    assertThat(rebuilt.toByteArray()).isEqualTo(hex(vector.get("envelope")));
  }

  private static EnvelopeContext context(JsonNode c) {
    return new EnvelopeContext(
        c.get("run_id").asLong(),
        c.get("round").asInt(),
        Long.parseUnsignedLong(c.get("node_id").asText()),
        Direction.valueOf(c.get("direction").asText()),
        MessageKind.valueOf(c.get("kind").asText()),
        hex(c.get("layout_digest")));
  }
}
