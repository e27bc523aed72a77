package io.fedsecure.crypto.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The streaming opener and sealer: same format, same refusals as the one-shot API. */
class EnvelopeStreamTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final WeightKey KEY = WeightKey.fromBytes(random(32));
  private static final EnvelopeContext CONTEXT =
      new EnvelopeContext(7, 3, 42, Direction.NODE_TO_SUPERLINK, MessageKind.TRAIN, random(32));

  private final EnvelopeCipher small = new EnvelopeCipher(100);
  private final byte[] data = random(350);
  private final byte[] sealed = small.seal(KEY, CONTEXT, data);

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 29, 128, 100_000})
  void opensInPiecesOfAnySizeSegmentBySegment(int piece) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int[] segments = {0};
    EnvelopeOpener opener = small.openStream(KEY, CONTEXT);
    feed(opener, sealed, piece, out, segments);
    opener.finish();
    assertThat(out.toByteArray()).isEqualTo(data);
    assertThat(segments[0]).isEqualTo(4);
    assertThat(opener.plaintextLength()).isEqualTo(350);
  }

  @Test
  void anEmptyPlaintextIsOneAuthenticatedSegment() throws Exception {
    EnvelopeOpener opener = small.openStream(KEY, CONTEXT);
    int[] segments = {0};
    feed(opener, small.seal(KEY, CONTEXT, new byte[0]), 5, new ByteArrayOutputStream(), segments);
    opener.finish();
    assertThat(segments[0]).isEqualTo(1);
  }

  @Test
  void aFlippedBitFailsThatSegmentAndHandsOutNothingOfIt() {
    int lastSegmentStart =
        EnvelopeCipher.HEADER_BYTES + 3 * (100 + EnvelopeCipher.SEGMENT_OVERHEAD);
    byte[] bad = sealed.clone();
    bad[lastSegmentStart + 20] ^= 1;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EnvelopeOpener opener = small.openStream(KEY, CONTEXT);
    assertThatThrownBy(() -> feed(opener, bad, 64, out, new int[1]))
        .isInstanceOf(EnvelopeAuthenticationException.class);
    assertThat(out.size()).as("only the three earlier, authentic segments came out").isEqualTo(300);
    assertThatThrownBy(opener::finish).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void reorderedSegmentsFailAuthentication() {
    int seg = 100 + EnvelopeCipher.SEGMENT_OVERHEAD;
    int first = EnvelopeCipher.HEADER_BYTES;
    byte[] swapped = sealed.clone();
    System.arraycopy(sealed, first, swapped, first + seg, seg);
    System.arraycopy(sealed, first + seg, swapped, first, seg);
    assertThatThrownBy(
            () ->
                feed(
                    small.openStream(KEY, CONTEXT),
                    swapped,
                    1000,
                    new ByteArrayOutputStream(),
                    new int[1]))
        .isInstanceOf(EnvelopeAuthenticationException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 3, 28, 29, 100, 29 + 128, 29 + 3 * 128})
  void truncationIsRefusedAtFinish(int length) throws Exception {
    EnvelopeOpener opener = small.openStream(KEY, CONTEXT);
    feed(opener, Arrays.copyOf(sealed, length), 50, new ByteArrayOutputStream(), new int[1]);
    assertThatThrownBy(opener::finish)
        .isInstanceOf(MalformedEnvelopeException.class)
        .hasMessageContaining(length == 0 ? "empty" : length < 4 ? "FSEV" : "truncated");
  }

  @Test
  void droppingTheLastSegmentAndRewritingTheHeaderFailsAuthentication() {
    int seg = 100 + EnvelopeCipher.SEGMENT_OVERHEAD;
    byte[] dropped = Arrays.copyOf(sealed, EnvelopeCipher.HEADER_BYTES + 3 * seg);
    ByteBuffer.wrap(dropped).putInt(17, 3).putLong(21, 300);
    // The third segment was sealed as "not last"; claiming it is last changes its associated data.
    assertThatThrownBy(
            () ->
                feed(
                    small.openStream(KEY, CONTEXT),
                    dropped,
                    1000,
                    new ByteArrayOutputStream(),
                    new int[1]))
        .isInstanceOf(EnvelopeAuthenticationException.class);
  }

  @Test
  void trailingBytesAreMalformed() {
    byte[] longer = Arrays.copyOf(sealed, sealed.length + 1);
    assertThatThrownBy(
            () ->
                feed(
                    small.openStream(KEY, CONTEXT),
                    longer,
                    1000,
                    new ByteArrayOutputStream(),
                    new int[1]))
        .isInstanceOf(MalformedEnvelopeException.class)
        .hasMessageContaining("after its last segment");
  }

  @Test
  void wrongKeyAndWrongContextAreRefused() {
    WeightKey other = WeightKey.fromBytes(random(32));
    assertThatThrownBy(
            () ->
                feed(
                    small.openStream(other, CONTEXT),
                    sealed,
                    1000,
                    new ByteArrayOutputStream(),
                    new int[1]))
        .isInstanceOf(UnknownKeyIdException.class);
    EnvelopeContext otherRound =
        new EnvelopeContext(
            7, 4, 42, Direction.NODE_TO_SUPERLINK, MessageKind.TRAIN, CONTEXT.layoutDigest());
    assertThatThrownBy(
            () ->
                feed(
                    small.openStream(KEY, otherRound),
                    sealed,
                    1000,
                    new ByteArrayOutputStream(),
                    new int[1]))
        .isInstanceOf(EnvelopeAuthenticationException.class);
  }

  @Test
  void aBadHeaderIsRefusedWithTheOneShotErrors() {
    byte[] version = sealed.clone();
    version[4] = 2;
    assertThatThrownBy(
            () ->
                feed(
                    small.openStream(KEY, CONTEXT),
                    version,
                    1000,
                    new ByteArrayOutputStream(),
                    new int[1]))
        .isInstanceOf(UnsupportedEnvelopeVersionException.class);
    byte[] magic = sealed.clone();
    magic[0] = 'X';
    assertThatThrownBy(
            () ->
                feed(
                    small.openStream(KEY, CONTEXT),
                    magic,
                    1000,
                    new ByteArrayOutputStream(),
                    new int[1]))
        .isInstanceOf(MalformedEnvelopeException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 99, 100, 101, 350})
  void theStreamingSealerWritesWhatOpenReads(int length) throws Exception {
    byte[] plain = random(length);
    EnvelopeSealer sealer = small.sealStream(KEY, CONTEXT, plain);
    assertThat(sealer.size()).isEqualTo(small.sealedSize(length));
    ByteArrayOutputStream env = new ByteArrayOutputStream();
    byte[] buf = new byte[37];
    for (int n; (n = sealer.read(buf, 0, buf.length)) > 0; ) {
      env.write(buf, 0, n);
    }
    assertThat(sealer.remaining()).isZero();
    assertThat(env.size()).isEqualTo(sealer.size());
    assertThat(small.open(KEY, CONTEXT, env.toByteArray())).isEqualTo(plain);
    byte[] other = small.seal(KEY, CONTEXT, plain);
    assertThat(env.toByteArray()).as("fresh nonces").isNotEqualTo(other).hasSameSizeAs(other);
  }

  private static void feed(
      EnvelopeOpener opener, byte[] env, int piece, ByteArrayOutputStream out, int[] segments)
      throws EnvelopeException {
    for (int off = 0; off < env.length; off += piece) {
      opener.update(
          env,
          off,
          Math.min(piece, env.length - off),
          (p, n) -> {
            out.write(p, 0, n);
            segments[0]++;
          });
    }
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
