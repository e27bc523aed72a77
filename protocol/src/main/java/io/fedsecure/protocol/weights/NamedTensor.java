package io.fedsecure.protocol.weights;

import java.util.Objects;

/**
 * A named float32 tensor. The data array is held as given (no copy) because models are large; a
 * caller that shares it must not mutate it.
 */
public record NamedTensor(TensorSpec spec, float[] data) {
  public NamedTensor {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(data, "data");
    if (data.length != spec.elementCount()) {
      throw new IllegalArgumentException(
          "tensor "
              + spec.name()
              + ": shape holds "
              + spec.elementCount()
              + " values but data has "
              + data.length);
    }
  }

  public String name() {
    return spec.name();
  }
}
