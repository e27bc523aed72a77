package io.fedsecure.crypto.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeCipherTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final WeightKey KEY = WeightKey.fromBytes(random(32));
  private static final byte[] LAYOUT = random(32);
  private static final EnvelopeContext CONTEXT =
      new EnvelopeContext(7, 3, 42, Direction.SUPERLINK_TO_NODE, MessageKind.TRAIN, LAYOUT);
  private static final String AUTH_FAILED =
      "authentication failed: wrong key, tampered, or replayed from another context";

  private final EnvelopeCipher cipher = new EnvelopeCipher();
  private final byte[] plaintext = random(1000);
  private final byte[] sealed = cipher.seal(KEY, CONTEXT, plaintext);

  @Test
  void roundTrips() throws Exception {
    assertThat(cipher.open(KEY, CONTEXT, sealed)).isEqualTo(plaintext);
    assertThat(sealed)
        .hasSize(EnvelopeCipher.HEADER_BYTES + EnvelopeCipher.SEGMENT_OVERHEAD + plaintext.length);
    assertThat(cipher.open(KEY, CONTEXT, cipher.seal(KEY, CONTEXT, new byte[0]))).isEmpty();
  }

  @Test
  void multiSegmentRoundTripsAndRejectsReorderedOrDroppedSegments() throws Exception {
    EnvelopeCipher small = new EnvelopeCipher(100);
    byte[] data = random(350);
    byte[] env = small.seal(KEY, CONTEXT, data);
    assertThat(small.open(KEY, CONTEXT, env)).isEqualTo(data);
    assertThat(cipher.open(KEY, CONTEXT, env))
        .as("segment size travels in the header")
        .isEqualTo(data);

    int seg = 100 + EnvelopeCipher.SEGMENT_OVERHEAD;
    int first = EnvelopeCipher.HEADER_BYTES;
    byte[] swapped = env.clone();
    System.arraycopy(env, first, swapped, first + seg, seg);
    System.arraycopy(env, first + seg, swapped, first, seg);
    assertThatThrownBy(() -> small.open(KEY, CONTEXT, swapped))
        .isInstanceOf(EnvelopeAuthenticationException.class);

    // Drop the last segment and rewrite the header to claim 300 bytes in 3 segments.
    byte[] dropped = Arrays.copyOf(env, first + 3 * seg);
    ByteBuffer.wrap(dropped).putInt(17, 3).putLong(21, 300);
    assertThatThrownBy(() -> small.open(KEY, CONTEXT, dropped))
        .isInstanceOf(EnvelopeAuthenticationException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "nonce-first",
        "nonce-last",
        "ciphertext-first",
        "ciphertext-middle",
        "ciphertext-last",
        "tag-first",
        "tag-last"
      })
  void aFlippedBitFailsAuthentication(String where) {
    int nonce = EnvelopeCipher.HEADER_BYTES;
    int ct = nonce + AesGcm.NONCE_BYTES;
    int tag = ct + plaintext.length;
    int pos =
        switch (where) {
          case "nonce-first" -> nonce;
          case "nonce-last" -> ct - 1;
          case "ciphertext-first" -> ct;
          case "ciphertext-middle" -> ct + plaintext.length / 2;
          case "ciphertext-last" -> tag - 1;
          case "tag-first" -> tag;
          default -> sealed.length - 1;
        };
    for (int bit = 0; bit < 8; bit += 7) {
      byte[] bad = sealed.clone();
      bad[pos] ^= (byte) (1 << bit);
      assertThatThrownBy(() -> cipher.open(KEY, CONTEXT, bad))
          .isInstanceOf(EnvelopeAuthenticationException.class)
          .hasMessage(AUTH_FAILED);
    }
  }

  @Test
  void flippedHeaderFieldsAreRefused() {
    assertThatThrownBy(() -> cipher.open(KEY, CONTEXT, flip(sealed, 0)))
        .isInstanceOf(MalformedEnvelopeException.class);
    assertThatThrownBy(() -> cipher.open(KEY, CONTEXT, flip(sealed, 4)))
        .isInstanceOf(UnsupportedEnvelopeVersionException.class)
        .hasMessageContaining("version 0");
    assertThatThrownBy(() -> cipher.open(KEY, CONTEXT, flip(sealed, 12)))
        .isInstanceOf(UnknownKeyIdException.class);
    assertThatThrownBy(() -> cipher.open(KEY, CONTEXT, flip(sealed, 28)))
        .isInstanceOf(MalformedEnvelopeException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 11, 27, -1})
  void truncationIsMalformed(int length) {
    byte[] cut = Arrays.copyOf(sealed, length < 0 ? sealed.length - 1 : length);
    assertThatThrownBy(() -> cipher.open(KEY, CONTEXT, cut))
        .isInstanceOf(MalformedEnvelopeException.class)
        .hasMessageMatching("envelope is (empty|truncated).*");
  }

  @Test
  void trailingBytesAreMalformed() {
    byte[] longer = Arrays.copyOf(sealed, sealed.length + 1);
    assertThatThrownBy(() -> cipher.open(KEY, CONTEXT, longer))
        .isInstanceOf(MalformedEnvelopeException.class)
        .hasMessageContaining("1 unexpected bytes");
  }

  @Test
  void aWrongKeyIsNamedByIdNeverByBytes() {
    byte[] otherRaw = random(32);
    WeightKey other = WeightKey.fromBytes(otherRaw);
    assertThatThrownBy(() -> cipher.open(other, CONTEXT, sealed))
        .isInstanceOf(UnknownKeyIdException.class)
        .hasMessageContaining(KEY.keyId())
        .hasMessageContaining(other.keyId())
        .hasMessageNotContaining(java.util.HexFormat.of().formatHex(otherRaw));
  }

  @Test
  void aWrongKeyWithAForgedKeyIdFailsAuthentication() {
    WeightKey other = WeightKey.fromBytes(random(32));
    byte[] relabelled = sealed.clone();
    System.arraycopy(other.keyIdBytes(), 0, relabelled, 5, 8);
    assertThatThrownBy(() -> cipher.open(other, CONTEXT, relabelled))
        .isInstanceOf(EnvelopeAuthenticationException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"round", "node", "direction", "kind", "run", "layout"})
  void eachContextFieldIsAuthenticated(String field) {
    UnaryOperator<EnvelopeContext> change =
        switch (field) {
          case "round" ->
              c ->
                  new EnvelopeContext(
                      c.runId(),
                      c.round() + 1,
                      c.nodeId(),
                      c.direction(),
                      c.kind(),
                      c.layoutDigest());
          case "node" ->
              c ->
                  new EnvelopeContext(
                      c.runId(),
                      c.round(),
                      c.nodeId() + 1,
                      c.direction(),
                      c.kind(),
                      c.layoutDigest());
          case "direction" ->
              c ->
                  new EnvelopeContext(
                      c.runId(),
                      c.round(),
                      c.nodeId(),
                      Direction.NODE_TO_SUPERLINK,
                      c.kind(),
                      c.layoutDigest());
          case "kind" ->
              c ->
                  new EnvelopeContext(
                      c.runId(),
                      c.round(),
                      c.nodeId(),
                      c.direction(),
                      MessageKind.EVALUATE,
                      c.layoutDigest());
          case "run" ->
              c ->
                  new EnvelopeContext(
                      c.runId() + 1,
                      c.round(),
                      c.nodeId(),
                      c.direction(),
                      c.kind(),
                      c.layoutDigest());
          default ->
              c ->
                  new EnvelopeContext(
                      c.runId(),
                      c.round(),
                      c.nodeId(),
                      c.direction(),
                      c.kind(),
                      flip(c.layoutDigest(), 31));
        };
    EnvelopeContext other = change.apply(CONTEXT);
    assertThat(other.associatedData()).isNotEqualTo(CONTEXT.associatedData());
    assertThatThrownBy(() -> cipher.open(KEY, other, sealed))
        .isInstanceOf(EnvelopeAuthenticationException.class)
        .hasMessage(AUTH_FAILED);
  }

  @Test
  void associatedDataIsFixedLength() {
    assertThat(CONTEXT.associatedData()).hasSize(EnvelopeContext.AD_LENGTH);
    assertThat(
            new EnvelopeContext(
                    Long.MAX_VALUE,
                    Integer.MAX_VALUE,
                    -1,
                    Direction.NODE_TO_SUPERLINK,
                    MessageKind.EVALUATE,
                    LAYOUT)
                .associatedData())
        .hasSize(EnvelopeContext.AD_LENGTH);
  }

  @Test
  void noNonceRepeatsInAHundredThousandSeals() {
    Set<ByteBuffer> nonces = new HashSet<>();
    byte[] small = new byte[1];
    for (int i = 0; i < 100_000; i++) {
      byte[] env = cipher.seal(KEY, CONTEXT, small);
      nonces.add(
          ByteBuffer.wrap(
              Arrays.copyOfRange(
                  env,
                  EnvelopeCipher.HEADER_BYTES,
                  EnvelopeCipher.HEADER_BYTES + AesGcm.NONCE_BYTES)));
    }
    assertThat(nonces).hasSize(100_000);
  }

  @Test
  void weightKeysAreExactly32BytesAndNeverShowThem() {
    byte[] raw = random(32);
    WeightKey key = WeightKey.fromBytes(raw);
    assertThat(key.keyId())
        .matches("[0-9a-f]{16}")
        .isEqualTo(WeightKey.fromBytes(raw.clone()).keyId());
    assertThat(key.toString()).doesNotContain(java.util.HexFormat.of().formatHex(raw));
    assertThatThrownBy(() -> WeightKey.fromBytes(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exactly 32 bytes")
        .hasMessageContaining("got 31");
    assertThatThrownBy(() -> WeightKey.fromBytes(new byte[33])).hasMessageContaining("got 33");
  }

  private static byte[] flip(byte[] b, int pos) {
    byte[] c = b.clone();
    c[pos] ^= 1;
    return c;
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
