package io.fedsecure.protocol.weights;

import java.util.Arrays;
import java.util.Objects;

/** A tensor's name, shape and dtype (only "float32" is supported). */
public record TensorSpec(String name, long[] shape, String dtype) {
  public static final String FLOAT32 = "float32";

  public TensorSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dtype, "dtype");
    shape = shape.clone();
  }

  public static TensorSpec float32(String name, long... shape) {
    return new TensorSpec(name, shape, FLOAT32);
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Number of elements: the product of the shape (1 for a scalar). */
  public long elementCount() {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec t
        && name.equals(t.name)
        && Arrays.equals(shape, t.shape)
        && dtype.equals(t.dtype);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, Arrays.hashCode(shape), dtype);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape) + ":" + dtype;
  }
}
