package io.fedsecure.crypto.weights;

import java.util.List;

/**
 * Ordered named float32 tensors to bytes and back: the plaintext inside an envelope.
 * Little-endian; validated on decode. No Java serialization.
 */
public final class WeightsCodec {

  private WeightsCodec() {}

  public static byte[] encode(List<NamedTensor> tensors) {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  /**
   * Decodes and validates: declared sizes against actual bytes, finite values, and the layout
   * equal to {@code expected}.
   */
  public static List<NamedTensor> decode(byte[] bytes, TensorLayout expected) throws WeightsFormatException {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  public static TensorLayout layoutOf(List<NamedTensor> tensors) {
    return new TensorLayout(tensors.stream().map(NamedTensor::spec).toList());
  }
}
