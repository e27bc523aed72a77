package io.fedsecure.protocol.weights;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Ordered named float32 tensors to bytes and back: the plaintext inside an envelope. Little-endian;
 * validated on decode. No Java serialization.
 *
 * <h2>Format, version 1 (little-endian)</h2>
 *
 * <pre>
 *   magic "FSWT" (4), version 0x01 (1), tensor count (u32)
 *   per tensor:  name length (u16), name (UTF-8), dtype (u8, 1 = float32), rank (u8), dims (i64 each)
 *   then the data of every tensor, in the same order, as float32 values
 * </pre>
 *
 * All headers come before any data, so a decoder checks the whole layout, and that the declared
 * sizes match the bytes present, before it allocates anything large.
 */
public final class WeightsCodec {

  private static final byte[] MAGIC = {'F', 'S', 'W', 'T'};
  private static final int VERSION = 1;
  private static final int DTYPE_FLOAT32 = 1;
  private static final int MAX_RANK = 16;
  private static final int MIN_TENSOR_HEADER = 2 + 1 + 1;

  private WeightsCodec() {}

  public static byte[] encode(List<NamedTensor> tensors) {
    Objects.requireNonNull(tensors, "tensors");
    List<byte[]> names = new ArrayList<>(tensors.size());
    long size = MAGIC.length + 1 + 4;
    for (NamedTensor t : tensors) {
      TensorSpec spec = t.spec();
      if (!TensorSpec.FLOAT32.equals(spec.dtype())) {
        throw new IllegalArgumentException(
            "tensor " + spec.name() + ": only float32 is supported, got " + spec.dtype());
      }
      byte[] name = spec.name().getBytes(StandardCharsets.UTF_8);
      if (name.length > 0xffff) {
        throw new IllegalArgumentException(
            "tensor name longer than 65535 bytes: " + spec.name().substring(0, 40) + "...");
      }
      if (spec.shape().length > MAX_RANK) {
        throw new IllegalArgumentException(
            "tensor " + spec.name() + ": rank " + spec.shape().length + " exceeds " + MAX_RANK);
      }
      names.add(name);
      size += MIN_TENSOR_HEADER + name.length + 8L * spec.shape().length + 4L * t.data().length;
    }
    if (size > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException(
          "model of " + size + " bytes is too large to encode in one buffer");
    }
    ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) VERSION).putInt(tensors.size());
    for (int i = 0; i < tensors.size(); i++) {
      TensorSpec spec = tensors.get(i).spec();
      b.putShort((short) names.get(i).length).put(names.get(i)).put((byte) DTYPE_FLOAT32);
      long[] shape = spec.shape();
      b.put((byte) shape.length);
      for (long d : shape) {
        b.putLong(d);
      }
    }
    for (NamedTensor t : tensors) {
      // Bulk copy through a float view; on little-endian hardware this is a plain memory copy.
      b.asFloatBuffer().put(t.data());
      b.position(b.position() + 4 * t.data().length);
    }
    return b.array();
  }

  /**
   * Decodes and validates: declared sizes against actual bytes, finite values, and the layout equal
   * to {@code expected}.
   */
  public static List<NamedTensor> decode(byte[] bytes, TensorLayout expected)
      throws WeightsFormatException {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(expected, "expected");
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    List<TensorSpec> specs;
    try {
      specs = readHeader(b);
    } catch (BufferUnderflowException e) {
      throw new WeightsFormatException(
          "weights are truncated inside the header (" + bytes.length + " bytes in all)");
    }
    requireLayout(specs, expected);
    long dataBytes = 0;
    for (TensorSpec s : specs) {
      dataBytes += 4 * s.elementCount();
    }
    if (dataBytes > b.remaining()) {
      throw new WeightsFormatException(
          "weights are truncated: the layout needs "
              + dataBytes
              + " bytes of data but only "
              + b.remaining()
              + " follow the header");
    }
    if (dataBytes < b.remaining()) {
      throw new WeightsFormatException(
          (b.remaining() - dataBytes) + " unexpected trailing bytes after the last tensor");
    }
    List<NamedTensor> out = new ArrayList<>(specs.size());
    for (TensorSpec s : specs) {
      float[] data = new float[(int) s.elementCount()];
      b.asFloatBuffer().get(data);
      b.position(b.position() + 4 * data.length);
      requireFinite(s, data);
      out.add(new NamedTensor(s, data));
    }
    return out;
  }

  /**
   * Bytes {@link #encode} produces for a model of {@code layout}: its header plus 4 per parameter.
   */
  public static int encodedSize(TensorLayout layout) {
    return Math.toIntExact(encodeHeader(layout).length + 4L * layout.parameterCount());
  }

  /**
   * The exact header bytes {@link #encode} writes for {@code layout}: the encoding is canonical, so
   * a streaming decoder can check an incoming header byte for byte.
   */
  public static byte[] encodeHeader(TensorLayout layout) {
    long size = MAGIC.length + 1 + 4;
    List<byte[]> names = new ArrayList<>();
    for (TensorSpec spec : layout.tensors()) {
      if (!TensorSpec.FLOAT32.equals(spec.dtype())) {
        throw new IllegalArgumentException(
            "tensor " + spec.name() + ": only float32 is supported, got " + spec.dtype());
      }
      byte[] name = spec.name().getBytes(StandardCharsets.UTF_8);
      names.add(name);
      size += MIN_TENSOR_HEADER + name.length + 8L * spec.shape().length;
    }
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) VERSION).putInt(layout.tensors().size());
    for (int i = 0; i < names.size(); i++) {
      long[] shape = layout.tensors().get(i).shape();
      b.putShort((short) names.get(i).length)
          .put(names.get(i))
          .put((byte) DTYPE_FLOAT32)
          .put((byte) shape.length);
      for (long d : shape) {
        b.putLong(d);
      }
    }
    return b.array();
  }

  /**
   * Why a header that differs from the expected one was refused, in the words {@link #decode} would
   * use when the received bytes get that far; a plain offset otherwise.
   */
  static String headerMismatch(byte[] received, int length, TensorLayout expected, int offset) {
    if (offset < MAGIC.length) {
      return "not encoded weights: they do not start with \"FSWT\"";
    }
    ByteBuffer b = ByteBuffer.wrap(received, 0, length).order(ByteOrder.LITTLE_ENDIAN);
    try {
      requireLayout(readHeader(b), expected);
    } catch (WeightsFormatException e) {
      return e.getMessage();
    } catch (BufferUnderflowException e) {
      // Not enough of the header to say more.
    }
    return "layout differs from the expected one at header byte " + offset;
  }

  public static TensorLayout layoutOf(List<NamedTensor> tensors) {
    return new TensorLayout(tensors.stream().map(NamedTensor::spec).toList());
  }

  private static List<TensorSpec> readHeader(ByteBuffer b) throws WeightsFormatException {
    byte[] magic = new byte[MAGIC.length];
    b.get(magic);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw new WeightsFormatException("not encoded weights: they do not start with \"FSWT\"");
    }
    int version = b.get() & 0xff;
    if (version != VERSION) {
      throw new WeightsFormatException(
          "weights format version "
              + version
              + " is not supported (this build reads "
              + VERSION
              + ")");
    }
    long count = Integer.toUnsignedLong(b.getInt());
    // Each tensor header takes at least 4 bytes: refuse a count the remaining bytes cannot hold
    // before sizing any list by it.
    if (count > b.remaining() / MIN_TENSOR_HEADER) {
      throw new WeightsFormatException(
          "weights are truncated or corrupt: they declare "
              + count
              + " tensors but only "
              + b.remaining()
              + " bytes follow");
    }
    List<TensorSpec> specs = new ArrayList<>((int) count);
    for (int i = 0; i < count; i++) {
      int nameLength = Short.toUnsignedInt(b.getShort());
      if (nameLength > b.remaining()) {
        throw new WeightsFormatException(
            "tensor #"
                + i
                + ": name length "
                + nameLength
                + " exceeds the "
                + b.remaining()
                + " bytes left (truncated or corrupt)");
      }
      byte[] nameBytes = new byte[nameLength];
      b.get(nameBytes);
      String name = utf8(nameBytes, i);
      int dtype = b.get() & 0xff;
      if (dtype != DTYPE_FLOAT32) {
        throw new WeightsFormatException(
            "tensor " + name + ": unsupported dtype code " + dtype + " (only float32)");
      }
      int rank = b.get() & 0xff;
      if (rank > MAX_RANK) {
        throw new WeightsFormatException(
            "tensor " + name + ": rank " + rank + " exceeds " + MAX_RANK);
      }
      long[] shape = new long[rank];
      long elements = 1;
      for (int d = 0; d < rank; d++) {
        shape[d] = b.getLong();
        if (shape[d] < 0) {
          throw new WeightsFormatException("tensor " + name + ": negative dimension " + shape[d]);
        }
        try {
          elements = Math.multiplyExact(elements, shape[d]);
        } catch (ArithmeticException e) {
          throw new WeightsFormatException("tensor " + name + ": shape overflows");
        }
      }
      if (elements > Integer.MAX_VALUE / 4) {
        throw new WeightsFormatException(
            "tensor " + name + ": " + elements + " elements is more than one array holds");
      }
      specs.add(new TensorSpec(name, shape, TensorSpec.FLOAT32));
    }
    return specs;
  }

  private static void requireLayout(List<TensorSpec> actual, TensorLayout expected)
      throws WeightsFormatException {
    List<TensorSpec> want = expected.tensors();
    int n = Math.min(actual.size(), want.size());
    for (int i = 0; i < n; i++) {
      if (!actual.get(i).equals(want.get(i))) {
        throw new WeightsFormatException(
            "layout differs at tensor #"
                + i
                + ": expected "
                + want.get(i)
                + " but got "
                + actual.get(i));
      }
    }
    if (actual.size() != want.size()) {
      throw new WeightsFormatException(
          "layout differs: expected "
              + want.size()
              + " tensors but got "
              + actual.size()
              + (actual.size() > n
                  ? " (first extra: " + actual.get(n) + ")"
                  : " (first missing: " + want.get(n) + ")"));
    }
  }

  private static void requireFinite(TensorSpec spec, float[] data) throws WeightsFormatException {
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) {
        throw new WeightsFormatException(
            "tensor "
                + spec.name()
                + " holds a non-finite value ("
                + (Float.isNaN(data[i]) ? "NaN" : "Infinity")
                + ") at index "
                + i);
      }
    }
  }

  private static String utf8(byte[] bytes, int index) throws WeightsFormatException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new WeightsFormatException("tensor #" + index + ": name is not valid UTF-8");
    }
  }
}
