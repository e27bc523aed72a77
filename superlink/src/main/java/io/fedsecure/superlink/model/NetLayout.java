package io.fedsecure.superlink.model;

import io.fedsecure.protocol.weights.FlowerNetLayout;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.protocol.weights.TensorSpec;

/**
 * Flower's example CNN ("Net": conv(3,6,5) pool conv(6,16,5) pool fc 400-120-84-10) in PyTorch
 * state-dict order, so SuperNodes can load the tensors straight into {@code model.state_dict()}.
 */
public final class NetLayout {

  public static final TensorLayout LAYOUT = FlowerNetLayout.LAYOUT;

  private NetLayout() {}

  /**
   * PyTorch's fan_in for a Conv2d/Linear parameter: a bias uses its layer's weight, because {@code
   * reset_parameters} bounds the bias by the weight's fan_in.
   */
  public static long fanIn(TensorLayout layout, TensorSpec spec) {
    TensorSpec weight = spec;
    if (spec.name().endsWith(".bias")) {
      String weightName =
          spec.name().substring(0, spec.name().length() - ".bias".length()) + ".weight";
      weight =
          layout.tensors().stream()
              .filter(t -> t.name().equals(weightName))
              .findFirst()
              .orElseThrow(
                  () -> new IllegalArgumentException("no weight tensor for bias " + spec.name()));
    }
    long[] shape = weight.shape();
    if (shape.length < 2) {
      throw new IllegalArgumentException("not a Conv2d/Linear weight: " + weight);
    }
    long fanIn = 1;
    for (int i = 1; i < shape.length; i++) {
      fanIn *= shape[i];
    }
    return fanIn;
  }
}
