package io.fedsecure.crypto.envelope;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Produces the bytes of one envelope ({@link EnvelopeCipher} format v1) a segment at a time as they
 * are read. Each segment gets a fresh random nonce when it is sealed, exactly as in {@link
 * EnvelopeCipher#seal}. Not thread-safe.
 */
public final class EnvelopeSealer {

  private final WeightKey key;
  private final byte[] plaintext;
  private final int segmentSize;
  private final int count;
  private final long size;
  private final byte[] adPrefix;
  private final byte[] buffer;
  private int bufferLength;
  private int bufferPos;
  private int nextSegment;
  private long produced;

  EnvelopeSealer(WeightKey key, EnvelopeContext context, byte[] plaintext, int segmentSize) {
    this.key = key;
    this.plaintext = plaintext;
    this.segmentSize = segmentSize;
    this.count = EnvelopeCipher.segmentCount(plaintext.length, segmentSize);
    this.size = EnvelopeCipher.sealedSize(plaintext.length, segmentSize);
    int largest = Math.min(segmentSize, plaintext.length) + EnvelopeCipher.SEGMENT_OVERHEAD;
    this.buffer = new byte[Math.max(largest, EnvelopeCipher.HEADER_BYTES)];
    EnvelopeCipher.writeHeader(
        ByteBuffer.wrap(buffer, 0, EnvelopeCipher.HEADER_BYTES),
        key,
        segmentSize,
        count,
        plaintext.length);
    this.adPrefix = EnvelopeCipher.adPrefix(buffer, context);
    this.bufferLength = EnvelopeCipher.HEADER_BYTES;
  }

  /** Total envelope size in bytes. */
  public long size() {
    return size;
  }

  /** Bytes not yet read. */
  public long remaining() {
    return size - produced;
  }

  /**
   * Copies up to {@code len} next envelope bytes into {@code out}; returns how many (0 at the end).
   */
  public int read(byte[] out, int off, int len) {
    int total = 0;
    while (total < len) {
      if (bufferPos == bufferLength) {
        if (nextSegment == count) {
          break;
        }
        sealNext();
      }
      int n = Math.min(len - total, bufferLength - bufferPos);
      System.arraycopy(buffer, bufferPos, out, off + total, n);
      bufferPos += n;
      total += n;
    }
    produced += total;
    return total;
  }

  private void sealNext() {
    int i = nextSegment;
    long start = (long) i * segmentSize;
    int len = (int) Math.min(segmentSize, plaintext.length - start);
    byte[] nonce = new byte[AesGcm.NONCE_BYTES];
    EnvelopeCipher.random().nextBytes(nonce);
    System.arraycopy(nonce, 0, buffer, 0, nonce.length);
    AesGcm.encrypt(
        key.secretKey(),
        nonce,
        EnvelopeCipher.segmentAd(adPrefix, i, i == count - 1),
        new AesGcm.Bytes(plaintext, (int) start, len),
        new AesGcm.Bytes(buffer, nonce.length, len + AesGcm.TAG_BYTES));
    bufferLength = len + EnvelopeCipher.SEGMENT_OVERHEAD;
    bufferPos = 0;
    nextSegment++;
    if (nextSegment == count) {
      Arrays.fill(adPrefix, (byte) 0);
    }
  }
}
