package io.fedsecure.protocol.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Streaming counterpart of {@link WeightsCodec#decode}: fed the plaintext in pieces of any size, it
 * checks the header against the expected layout (byte for byte: the encoding is canonical), then
 * hands out the float data as runs within one tensor, each value checked finite before the run is
 * handed out. Memory is one run buffer, whatever the model's size. {@link #finish} refuses missing
 * data; bytes beyond the layout are refused as they arrive. Not thread-safe; after an exception it
 * refuses further input.
 */
public final class WeightsStreamDecoder {

  /** Receives {@code count} values of tensor {@code tensor} starting at element {@code offset}. */
  @FunctionalInterface
  public interface FloatRunHandler<X extends Exception> {
    void floats(int tensor, long offset, float[] values, int count) throws X;
  }

  private static final int RUN_FLOATS = 1 << 16;

  private final TensorLayout layout;
  private final byte[] expectedHeader;
  private final byte[] receivedHeader;
  private final long[] elementCounts;
  private final float[] run = new float[RUN_FLOATS];
  private final ByteBuffer partial = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
  private int headerFilled;
  private int tensor;
  private long offsetInTensor;
  private boolean failed;

  public WeightsStreamDecoder(TensorLayout expected) {
    this.layout = Objects.requireNonNull(expected, "expected");
    this.expectedHeader = WeightsCodec.encodeHeader(expected);
    this.receivedHeader = new byte[expectedHeader.length];
    this.elementCounts = expected.tensors().stream().mapToLong(TensorSpec::elementCount).toArray();
    skipEmptyTensors();
  }

  /** Total plaintext bytes the expected layout encodes to. */
  public long encodedSize() {
    long n = expectedHeader.length;
    for (long c : elementCounts) {
      n += 4 * c;
    }
    return n;
  }

  public <X extends Exception> void update(byte[] in, int off, int len, FloatRunHandler<X> handler)
      throws WeightsFormatException, X {
    if (failed) {
      throw new IllegalStateException("these weights were already refused");
    }
    boolean ok = false;
    try {
      int end = off + len;
      while (off < end && headerFilled < expectedHeader.length) {
        byte b = in[off++];
        receivedHeader[headerFilled] = b;
        if (b != expectedHeader[headerFilled]) {
          int more = Math.min(end - off, receivedHeader.length - headerFilled - 1);
          System.arraycopy(in, off, receivedHeader, headerFilled + 1, more);
          throw new WeightsFormatException(
              WeightsCodec.headerMismatch(
                  receivedHeader, headerFilled + 1 + more, layout, headerFilled));
        }
        headerFilled++;
      }
      if (off < end) {
        data(in, off, end - off, handler);
      }
      ok = true;
    } finally {
      if (!ok) {
        failed = true;
      }
    }
  }

  /** Declares the end of the plaintext; throws if any header byte or value is missing. */
  public void finish() throws WeightsFormatException {
    if (failed) {
      throw new IllegalStateException("these weights were already refused");
    }
    if (headerFilled < expectedHeader.length) {
      failed = true;
      throw new WeightsFormatException(
          "weights are truncated inside the header (" + headerFilled + " bytes in all)");
    }
    if (tensor < elementCounts.length || partial.position() != 0) {
      failed = true;
      throw new WeightsFormatException(
          "weights are truncated: tensor "
              + layout.tensors().get(Math.min(tensor, elementCounts.length - 1)).name()
              + " stops at element "
              + offsetInTensor);
    }
  }

  private <X extends Exception> void data(byte[] in, int off, int len, FloatRunHandler<X> handler)
      throws WeightsFormatException, X {
    ByteBuffer src = ByteBuffer.wrap(in, off, len).order(ByteOrder.LITTLE_ENDIAN);
    while (src.hasRemaining()) {
      if (tensor >= elementCounts.length) {
        throw new WeightsFormatException(
            src.remaining()
                + partial.position()
                + " unexpected trailing bytes after the last tensor");
      }
      int count = 0;
      long left = elementCounts[tensor] - offsetInTensor;
      int room = (int) Math.min(run.length, left);
      if (partial.position() > 0) {
        while (partial.hasRemaining() && src.hasRemaining()) {
          partial.put(src.get());
        }
        if (partial.hasRemaining()) {
          return;
        }
        run[count++] = partial.flip().getFloat();
        partial.clear();
      }
      int whole = (int) Math.min(room - count, src.remaining() / 4);
      src.asFloatBuffer().get(run, count, whole);
      src.position(src.position() + 4 * whole);
      count += whole;
      if (count < room && src.hasRemaining()) {
        // Fewer than 4 bytes left: the start of a value split across updates.
        partial.put(src);
      }
      if (count > 0) {
        emit(count, handler);
      }
    }
  }

  private <X extends Exception> void emit(int count, FloatRunHandler<X> handler)
      throws WeightsFormatException, X {
    for (int i = 0; i < count; i++) {
      if (!Float.isFinite(run[i])) {
        throw new WeightsFormatException(
            "tensor "
                + layout.tensors().get(tensor).name()
                + " holds a non-finite value ("
                + (Float.isNaN(run[i]) ? "NaN" : "Infinity")
                + ") at index "
                + (offsetInTensor + i));
      }
    }
    handler.floats(tensor, offsetInTensor, run, count);
    offsetInTensor += count;
    if (offsetInTensor == elementCounts[tensor]) {
      tensor++;
      offsetInTensor = 0;
      skipEmptyTensors();
    }
  }

  private void skipEmptyTensors() {
    while (tensor < elementCounts.length && elementCounts[tensor] == 0) {
      tensor++;
    }
  }
}
