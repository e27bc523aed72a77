package io.fedsecure.protocol.weights;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/** An ordered model layout, e.g. PyTorch's state-dict order. */
public record TensorLayout(List<TensorSpec> tensors) {
  public TensorLayout {
    tensors = List.copyOf(tensors);
  }

  /** The layout as an {@code Instruction} carries it. */
  public io.fedsecure.proto.TensorLayout toProto() {
    io.fedsecure.proto.TensorLayout.Builder builder = io.fedsecure.proto.TensorLayout.newBuilder();
    for (TensorSpec spec : tensors) {
      io.fedsecure.proto.TensorSpec.Builder t =
          io.fedsecure.proto.TensorSpec.newBuilder().setName(spec.name()).setDtype(spec.dtype());
      for (long d : spec.shape()) {
        t.addShape(d);
      }
      builder.addTensors(t);
    }
    return builder.build();
  }

  /** A layout as read from the wire, not checked: compare it with the layout the reader expects. */
  public static TensorLayout fromProto(io.fedsecure.proto.TensorLayout layout) {
    return new TensorLayout(
        layout.getTensorsList().stream()
            .map(
                t ->
                    new TensorSpec(
                        t.getName(),
                        t.getShapeList().stream().mapToLong(Long::longValue).toArray(),
                        t.getDtype()))
            .toList());
  }

  /**
   * Refuses {@code weights} that are not this layout's tensors in its order (count, then each
   * tensor's name, shape and dtype), naming the first difference.
   */
  public void check(List<NamedTensor> weights) {
    if (weights.size() != tensors.size()) {
      throw new IllegalArgumentException(
          "expected "
              + tensors.size()
              + " tensors ("
              + tensors.get(0).name()
              + " .. "
              + tensors.get(tensors.size() - 1).name()
              + "), got "
              + weights.size());
    }
    for (int i = 0; i < tensors.size(); i++) {
      if (!weights.get(i).spec().equals(tensors.get(i))) {
        throw new IllegalArgumentException(
            "tensor " + i + " is " + weights.get(i).spec() + ", expected " + tensors.get(i));
      }
    }
  }

  /** Total number of float parameters. */
  public long parameterCount() {
    return tensors.stream().mapToLong(TensorSpec::elementCount).sum();
  }

  /** SHA-256 over a canonical encoding of names, shapes and dtypes, in order (32 bytes). */
  public byte[] digest() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      ByteBuffer b = ByteBuffer.allocate(8);
      sha.update(DIGEST_TAG);
      sha.update(b.clear().putInt(tensors.size()).array(), 0, 4);
      for (TensorSpec t : tensors) {
        byte[] name = t.name().getBytes(StandardCharsets.UTF_8);
        byte[] dtype = t.dtype().getBytes(StandardCharsets.UTF_8);
        sha.update(b.clear().putInt(name.length).array(), 0, 4);
        sha.update(name);
        sha.update(b.clear().putInt(dtype.length).array(), 0, 4);
        sha.update(dtype);
        long[] shape = t.shape();
        sha.update(b.clear().putInt(shape.length).array(), 0, 4);
        for (long d : shape) {
          sha.update(b.clear().putLong(d).array(), 0, 8);
        }
      }
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  /**
   * Domain tag, then count and, per tensor, length-prefixed UTF-8 name, length-prefixed dtype, rank
   * and dims as 8-byte integers, all big-endian: unambiguous, so different layouts never collide.
   */
  private static final byte[] DIGEST_TAG =
      "fedsecure-layout-v1\0".getBytes(StandardCharsets.US_ASCII);
}
