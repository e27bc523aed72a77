package io.fedsecure.crypto.envelope;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.AEADBadTagException;

/**
 * AES-256-GCM weight envelopes (JDK provider). The nonce is generated inside {@link #seal}; no API
 * accepts one. Thread-safe.
 *
 * <h2>Format, version 1</h2>
 *
 * <pre>
 * header, 29 bytes, big-endian:
 *   magic           4  "FSEV"
 *   version         1  0x01
 *   key id          8  WeightKey id (first 8 bytes of SHA-256 over a tag and the key)
 *   segment size    4  plaintext bytes in every segment but the last (1 MiB when sealed here)
 *   segment count   4  max(1, ceil(plaintext length / segment size))
 *   plaintext len   8
 * then, per segment i = 0 .. count-1:
 *   nonce          12  fresh from SecureRandom
 *   ciphertext      n  (segment size, or what remains for the last segment)
 *   tag            16
 * </pre>
 *
 * Each segment is sealed with its own nonce; its associated data is the whole header, then {@link
 * EnvelopeContext#associatedData()}, then i (4 bytes) and a last-segment flag (1 byte). So every
 * header field is authenticated, segments cannot be reordered, dropped, duplicated or cut off, and
 * the envelope cannot be moved to another context. Segmenting also keeps a 50 MB model from being
 * one cold-JIT GCM call and leaves room for a streaming decryptor. An empty plaintext is one empty
 * segment, so there is always a tag to check.
 */
public final class EnvelopeCipher {

  static final byte[] MAGIC = "FSEV".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  static final int HEADER_BYTES = 4 + 1 + WeightKey.KEY_ID_BYTES + 4 + 4 + 8;
  static final int SEGMENT_OVERHEAD = AesGcm.NONCE_BYTES + AesGcm.TAG_BYTES;
  static final int DEFAULT_SEGMENT_SIZE = 1 << 20;
  private static final int MAX_SEGMENT_SIZE = 1 << 24;
  private static final long MAX_ENVELOPE_BYTES = Integer.MAX_VALUE - 16;

  private static final SecureRandom RANDOM = new SecureRandom();
  private final int segmentSize;

  public EnvelopeCipher() {
    this(DEFAULT_SEGMENT_SIZE);
  }

  /** For tests that need several segments without megabytes of data. */
  EnvelopeCipher(int segmentSize) {
    if (segmentSize <= 0 || segmentSize > MAX_SEGMENT_SIZE) {
      throw new IllegalArgumentException("segment size must be in [1, " + MAX_SEGMENT_SIZE + "]");
    }
    this.segmentSize = segmentSize;
  }

  /** Encrypts {@code plaintext} under {@code key}, bound to {@code context}. */
  public byte[] seal(WeightKey key, EnvelopeContext context, byte[] plaintext) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(plaintext, "plaintext");
    int count = segmentCount(plaintext.length, segmentSize);
    long total = HEADER_BYTES + (long) count * SEGMENT_OVERHEAD + plaintext.length;
    if (total > MAX_ENVELOPE_BYTES) {
      throw new IllegalArgumentException(
          "plaintext of " + plaintext.length + " bytes is too large for one envelope");
    }
    byte[] out = new byte[(int) total];
    ByteBuffer header = ByteBuffer.wrap(out, 0, HEADER_BYTES);
    writeHeader(header, key, segmentSize, count, plaintext.length);
    byte[] adPrefix = adPrefix(out, context);
    byte[] nonce = new byte[AesGcm.NONCE_BYTES];
    int in = 0;
    int pos = HEADER_BYTES;
    for (int i = 0; i < count; i++) {
      int len = Math.min(segmentSize, plaintext.length - in);
      RANDOM.nextBytes(nonce);
      System.arraycopy(nonce, 0, out, pos, nonce.length);
      AesGcm.encrypt(
          key.secretKey(),
          nonce,
          segmentAd(adPrefix, i, i == count - 1),
          new AesGcm.Bytes(plaintext, in, len),
          new AesGcm.Bytes(out, pos + nonce.length, len + AesGcm.TAG_BYTES));
      in += len;
      pos += SEGMENT_OVERHEAD + len;
    }
    return out;
  }

  /**
   * Decrypts and authenticates. Throws a subtype of {@link EnvelopeException}; never returns
   * unauthenticated bytes.
   */
  public byte[] open(WeightKey key, EnvelopeContext context, byte[] envelope)
      throws EnvelopeException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(envelope, "envelope");
    Header h = Header.parse(envelope);
    byte[] expectedId = key.keyIdBytes();
    if (!MessageDigest.isEqual(expectedId, h.keyId)) {
      throw new UnknownKeyIdException(
          "envelope was sealed with key id "
              + HexFormat.of().formatHex(h.keyId)
              + " but the key given has id "
              + key.keyId());
    }
    byte[] plaintext = new byte[(int) h.plaintextLength];
    byte[] adPrefix = adPrefix(envelope, context);
    int out = 0;
    int pos = HEADER_BYTES;
    try {
      for (int i = 0; i < h.segmentCount; i++) {
        int len = (int) Math.min(h.segmentSize, h.plaintextLength - out);
        byte[] nonce = Arrays.copyOfRange(envelope, pos, pos + AesGcm.NONCE_BYTES);
        AesGcm.decrypt(
            key.secretKey(),
            nonce,
            segmentAd(adPrefix, i, i == h.segmentCount - 1),
            new AesGcm.Bytes(envelope, pos + AesGcm.NONCE_BYTES, len + AesGcm.TAG_BYTES),
            new AesGcm.Bytes(plaintext, out, len));
        out += len;
        pos += SEGMENT_OVERHEAD + len;
      }
    } catch (AEADBadTagException e) {
      // Earlier segments did authenticate, but a partial model is no model: wipe and refuse.
      Arrays.fill(plaintext, (byte) 0);
      throw new EnvelopeAuthenticationException(
          "authentication failed: wrong key, tampered, or replayed from another context");
    }
    return plaintext;
  }

  /**
   * A decryptor to feed an envelope's bytes as they arrive: it hands out each segment's plaintext
   * once that segment authenticated, so a large envelope is never held whole. See {@link
   * EnvelopeOpener} for what it enforces.
   */
  public EnvelopeOpener openStream(WeightKey key, EnvelopeContext context) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(context, "context");
    return new EnvelopeOpener(key, context);
  }

  /**
   * The envelope {@link #seal} would produce for {@code plaintext}, produced a segment at a time as
   * it is read, so sending one model to many nodes holds one sealed segment per node, not one
   * envelope per node. The caller must not change {@code plaintext} while reading.
   */
  public EnvelopeSealer sealStream(WeightKey key, EnvelopeContext context, byte[] plaintext) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(plaintext, "plaintext");
    if (sealedSize(plaintext.length, segmentSize) > MAX_ENVELOPE_BYTES) {
      throw new IllegalArgumentException(
          "plaintext of " + plaintext.length + " bytes is too large for one envelope");
    }
    return new EnvelopeSealer(key, context, plaintext, segmentSize);
  }

  /** Size in bytes of the envelope sealed here around {@code plaintextLength} bytes. */
  public long sealedSize(long plaintextLength) {
    return sealedSize(plaintextLength, segmentSize);
  }

  static long sealedSize(long plaintextLength, int segmentSize) {
    return HEADER_BYTES
        + (long) segmentCount(plaintextLength, segmentSize) * SEGMENT_OVERHEAD
        + plaintextLength;
  }

  static void writeHeader(
      ByteBuffer header, WeightKey key, int segmentSize, int count, long plaintextLength) {
    header
        .put(MAGIC)
        .put((byte) VERSION)
        .put(key.keyIdBytes())
        .putInt(segmentSize)
        .putInt(count)
        .putLong(plaintextLength);
  }

  static SecureRandom random() {
    return RANDOM;
  }

  static int segmentCount(long plaintextLength, long segmentSize) {
    return (int) Math.max(1, (plaintextLength + segmentSize - 1) / segmentSize);
  }

  static byte[] adPrefix(byte[] envelope, EnvelopeContext context) {
    byte[] contextAd = context.associatedData();
    byte[] prefix = new byte[HEADER_BYTES + contextAd.length + 5];
    System.arraycopy(envelope, 0, prefix, 0, HEADER_BYTES);
    System.arraycopy(contextAd, 0, prefix, HEADER_BYTES, contextAd.length);
    return prefix;
  }

  /** Reuses the prefix array: fills in the segment index and last flag in its final 5 bytes. */
  static byte[] segmentAd(byte[] prefix, int index, boolean last) {
    ByteBuffer.wrap(prefix, prefix.length - 5, 5).putInt(index).put((byte) (last ? 1 : 0));
    return prefix;
  }

  /** The parsed and size-checked header. */
  record Header(byte[] keyId, int segmentSize, int segmentCount, long plaintextLength) {

    /** Parses and checks the header fields; {@code envelope} may hold just the header. */
    static Header parseFields(byte[] envelope) throws EnvelopeException {
      if (envelope.length == 0) {
        throw new MalformedEnvelopeException("envelope is empty");
      }
      if (envelope.length < MAGIC.length
          || !Arrays.equals(envelope, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
        throw new MalformedEnvelopeException(
            "not a fedsecure envelope: it does not start with \"FSEV\"");
      }
      if (envelope.length <= MAGIC.length) {
        throw new MalformedEnvelopeException(
            "envelope is truncated inside its header (" + envelope.length + " bytes)");
      }
      int version = envelope[MAGIC.length] & 0xff;
      if (version != VERSION) {
        throw new UnsupportedEnvelopeVersionException(
            "envelope format version "
                + version
                + " is not supported (this build reads version "
                + VERSION
                + "); upgrade the receiver or the sender");
      }
      if (envelope.length < HEADER_BYTES) {
        throw new MalformedEnvelopeException(
            "envelope is truncated: "
                + envelope.length
                + " bytes, shorter than the "
                + HEADER_BYTES
                + "-byte header");
      }
      ByteBuffer b = ByteBuffer.wrap(envelope, MAGIC.length + 1, HEADER_BYTES - MAGIC.length - 1);
      byte[] keyId = new byte[WeightKey.KEY_ID_BYTES];
      b.get(keyId);
      int segmentSize = b.getInt();
      int segmentCount = b.getInt();
      long plaintextLength = b.getLong();
      if (segmentSize <= 0 || segmentSize > MAX_SEGMENT_SIZE) {
        throw new MalformedEnvelopeException(
            "envelope header declares an invalid segment size " + segmentSize);
      }
      if (plaintextLength < 0 || plaintextLength > MAX_ENVELOPE_BYTES) {
        throw new MalformedEnvelopeException(
            "envelope header declares an invalid plaintext length " + plaintextLength);
      }
      if (segmentCount != EnvelopeCipher.segmentCount(plaintextLength, segmentSize)) {
        throw new MalformedEnvelopeException(
            "envelope header is inconsistent: "
                + segmentCount
                + " segments for "
                + plaintextLength
                + " bytes in segments of "
                + segmentSize);
      }
      return new Header(keyId, segmentSize, segmentCount, plaintextLength);
    }

    /** The declared total size of the envelope this header starts. */
    long envelopeBytes() {
      return HEADER_BYTES + (long) segmentCount * SEGMENT_OVERHEAD + plaintextLength;
    }

    static Header parse(byte[] envelope) throws EnvelopeException {
      Header h = parseFields(envelope);
      long expected = h.envelopeBytes();
      if (envelope.length < expected) {
        throw new MalformedEnvelopeException(
            "envelope is truncated: the header declares "
                + expected
                + " bytes but only "
                + envelope.length
                + " arrived");
      }
      if (envelope.length > expected) {
        throw new MalformedEnvelopeException(
            "envelope has "
                + (envelope.length - expected)
                + " unexpected bytes after its last segment");
      }
      return h;
    }
  }
}
