package io.fedsecure.superlink.model;

import io.fedsecure.crypto.weights.TensorLayout;
import io.fedsecure.crypto.weights.TensorSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A model of a chosen size for transport and aggregation benchmarks: linear layers of 1000 x 1000
 * float32 weights (4 MB each, the last one shorter), so "100 MB" is 100,000,000 bytes of
 * parameters in 25 tensors. Names follow the Linear convention so {@link ModelInitializer} applies.
 */
public final class SyntheticLayout {

  private static final int WIDTH = 1000;
  private static final long BYTES_PER_ROW = 4L * WIDTH;

  private SyntheticLayout() {}

  public static TensorLayout ofMegabytes(int megabytes) {
    if (megabytes <= 0) {
      throw new IllegalArgumentException("model size must be positive, got " + megabytes + " MB");
    }
    long rows = megabytes * 1_000_000L / BYTES_PER_ROW;
    List<TensorSpec> tensors = new ArrayList<>();
    for (int i = 0; rows > 0; i++) {
      long r = Math.min(WIDTH, rows);
      tensors.add(TensorSpec.float32("synthetic" + i + ".weight", r, WIDTH));
      rows -= r;
    }
    return new TensorLayout(tensors);
  }
}
