package io.fedsecure.crypto.envelope;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;

/**
 * Streaming counterpart of {@link EnvelopeCipher#open}: fed an envelope's bytes in pieces of any
 * size, it authenticates each segment as soon as the segment is complete and only then hands its
 * plaintext to the caller. Memory is one segment of ciphertext and one of plaintext, whatever the
 * envelope's size.
 *
 * <p>The segment's associated data carries its index and a last-segment flag derived from the
 * header's segment count, so reordered, duplicated or dropped segments fail authentication, and
 * {@link #finish} refuses a stream that stopped before the declared last segment. Plaintext handed
 * out before a later failure did authenticate, but belongs to an envelope that as a whole is
 * refused: callers must treat it as tentative until {@code finish} returns. Not thread-safe; after
 * any exception the opener refuses further input.
 */
public final class EnvelopeOpener {

  /** Receives one authenticated segment; {@code plaintext} is reused for the next segment. */
  @FunctionalInterface
  public interface SegmentHandler<X extends Exception> {
    void segment(byte[] plaintext, int length) throws X;
  }

  private final WeightKey key;
  private final EnvelopeContext context;
  private final byte[] headerBytes = new byte[EnvelopeCipher.HEADER_BYTES];
  private int headerFilled;
  private EnvelopeCipher.Header header;
  private byte[] adPrefix;
  private byte[] segment;
  private byte[] plaintext;
  private int segmentFilled;
  private int segmentIndex;
  private long plaintextDone;
  private long consumed;
  private boolean failed;

  EnvelopeOpener(WeightKey key, EnvelopeContext context) {
    this.key = key;
    this.context = context;
  }

  /** Consumes {@code len} bytes, handing every segment they complete to {@code handler}. */
  public <X extends Exception> void update(byte[] in, int off, int len, SegmentHandler<X> handler)
      throws EnvelopeException, X {
    if (failed) {
      throw new IllegalStateException("this envelope was already refused");
    }
    boolean ok = false;
    try {
      int end = off + len;
      while (off < end) {
        if (header == null) {
          int n = Math.min(end - off, headerBytes.length - headerFilled);
          System.arraycopy(in, off, headerBytes, headerFilled, n);
          headerFilled += n;
          off += n;
          if (headerFilled == headerBytes.length) {
            startBody();
          }
          continue;
        }
        if (segmentIndex >= header.segmentCount()) {
          throw new MalformedEnvelopeException(
              "envelope has unexpected bytes after its last segment");
        }
        int want = currentSegmentBytes();
        int n = Math.min(end - off, want - segmentFilled);
        System.arraycopy(in, off, segment, segmentFilled, n);
        segmentFilled += n;
        off += n;
        if (segmentFilled == want) {
          int plain = want - EnvelopeCipher.SEGMENT_OVERHEAD;
          decryptSegment(want);
          segmentIndex++;
          segmentFilled = 0;
          plaintextDone += plain;
          handler.segment(plaintext, plain);
        }
      }
      consumed += len;
      ok = true;
    } finally {
      if (!ok) {
        fail();
      }
    }
  }

  /**
   * Declares the end of the input. Throws if the header or any declared segment is missing; only
   * after this returns is the envelope as a whole authentic.
   */
  public void finish() throws EnvelopeException {
    if (failed) {
      throw new IllegalStateException("this envelope was already refused");
    }
    if (header == null) {
      fail();
      if (headerFilled == 0) {
        throw new MalformedEnvelopeException("envelope is empty");
      }
      // Reuse the one-shot parser so a short header yields the same typed error as open().
      EnvelopeCipher.Header.parseFields(Arrays.copyOf(headerBytes, headerFilled));
      throw new MalformedEnvelopeException(
          "envelope is truncated: "
              + headerFilled
              + " bytes, shorter than the "
              + EnvelopeCipher.HEADER_BYTES
              + "-byte header");
    }
    if (segmentIndex < header.segmentCount()) {
      fail();
      throw new MalformedEnvelopeException(
          "envelope is truncated: the header declares "
              + header.envelopeBytes()
              + " bytes but only "
              + (EnvelopeCipher.HEADER_BYTES + consumedBody())
              + " arrived");
    }
    wipe();
  }

  /** Plaintext length the header declares; -1 until the header has arrived. */
  public long plaintextLength() {
    return header == null ? -1 : header.plaintextLength();
  }

  private long consumedBody() {
    return consumed - EnvelopeCipher.HEADER_BYTES;
  }

  private void startBody() throws EnvelopeException {
    EnvelopeCipher.Header h = EnvelopeCipher.Header.parseFields(headerBytes);
    if (!MessageDigest.isEqual(key.keyIdBytes(), h.keyId())) {
      throw new UnknownKeyIdException(
          "envelope was sealed with key id "
              + HexFormat.of().formatHex(h.keyId())
              + " but the key given has id "
              + key.keyId());
    }
    header = h;
    adPrefix = EnvelopeCipher.adPrefix(headerBytes, context);
    int segmentBytes = (int) Math.min(h.segmentSize(), Math.max(h.plaintextLength(), 0));
    segment = new byte[segmentBytes + EnvelopeCipher.SEGMENT_OVERHEAD];
    plaintext = new byte[segmentBytes];
  }

  private int currentSegmentBytes() {
    long remaining = header.plaintextLength() - plaintextDone;
    return (int) Math.min(header.segmentSize(), remaining) + EnvelopeCipher.SEGMENT_OVERHEAD;
  }

  private void decryptSegment(int length) throws EnvelopeAuthenticationException {
    byte[] nonce = Arrays.copyOfRange(segment, 0, AesGcm.NONCE_BYTES);
    boolean last = segmentIndex == header.segmentCount() - 1;
    try {
      AesGcm.decrypt(
          key.secretKey(),
          nonce,
          EnvelopeCipher.segmentAd(adPrefix, segmentIndex, last),
          new AesGcm.Bytes(segment, AesGcm.NONCE_BYTES, length - AesGcm.NONCE_BYTES),
          AesGcm.Bytes.of(plaintext));
    } catch (AEADBadTagException e) {
      throw new EnvelopeAuthenticationException(
          "authentication failed: wrong key, tampered, or replayed from another context");
    }
  }

  private void fail() {
    failed = true;
    wipe();
  }

  private void wipe() {
    if (plaintext != null) {
      Arrays.fill(plaintext, (byte) 0);
    }
  }
}
