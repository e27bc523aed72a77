package io.fedsecure.superlink.model;

import io.fedsecure.protocol.weights.SyntheticLayouts;
import io.fedsecure.protocol.weights.TensorLayout;

/**
 * The run config's {@code model-size-mb} model. Defined in {@link SyntheticLayouts} (common-crypto)
 * because the load generator's synthetic SuperNodes must build exactly the same layout; its names
 * follow the Linear convention so {@link ModelInitializer} applies.
 */
public final class SyntheticLayout {

  private SyntheticLayout() {}

  public static TensorLayout ofMegabytes(int megabytes) {
    return SyntheticLayouts.ofMegabytes(megabytes);
  }
}
