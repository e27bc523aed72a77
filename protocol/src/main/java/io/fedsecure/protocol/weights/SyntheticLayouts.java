package io.fedsecure.protocol.weights;

import java.util.ArrayList;
import java.util.List;

/**
 * A model of a chosen size for transport and aggregation benchmarks: linear layers of 1000 x 1000
 * float32 weights (4 MB each, the last one shorter), so "100 MB" is 100,000,000 bytes of parameters
 * in 25 tensors. Names follow the Linear convention so the SuperLink's initializer applies. Here,
 * not in the SuperLink, because the SuperLink and the SuperNodes (the load generator's synthetic
 * trainer) must agree on it exactly: the layout digest binds every envelope.
 */
public final class SyntheticLayouts {

  static final int WIDTH = 1000;
  private static final long BYTES_PER_ROW = 4L * WIDTH;

  /**
   * Keeps every tensor addressable by one float[] and the whole model well inside a node's payload
   * limit.
   */
  public static final int MAX_MEGABYTES = 1000;

  private SyntheticLayouts() {}

  public static TensorLayout ofMegabytes(int megabytes) {
    if (megabytes <= 0 || megabytes > MAX_MEGABYTES) {
      throw new IllegalArgumentException(
          "synthetic model size must be 1.." + MAX_MEGABYTES + " MB, got " + megabytes + " MB");
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

  /** Bytes of float32 parameters (the encoded model adds only a small header). */
  public static long parameterBytes(TensorLayout layout) {
    return 4L * layout.parameterCount();
  }
}
