package io.fedsecure.crypto.weights;

import java.util.List;

/** An ordered model layout, e.g. PyTorch's state-dict order. */
public record TensorLayout(List<TensorSpec> tensors) {
  public TensorLayout {
    tensors = List.copyOf(tensors);
  }

  /** Total number of float parameters. */
  public long parameterCount() {
    return tensors.stream().mapToLong(TensorSpec::elementCount).sum();
  }

  /** SHA-256 over a canonical encoding of names, shapes and dtypes, in order (32 bytes). */
  public byte[] digest() {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }
}
