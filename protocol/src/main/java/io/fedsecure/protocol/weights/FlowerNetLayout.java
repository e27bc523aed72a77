package io.fedsecure.protocol.weights;

import java.util.List;

/**
 * The wire layout of Flower's example CIFAR-10 CNN ("Net": conv(3,6,5) pool conv(6,16,5) pool fc
 * 400-120-84-10, 62,006 parameters), in PyTorch state-dict order and shapes. It is part of the
 * contract between the SuperLink and the SuperNodes (its digest is bound into every envelope), so
 * both sides take it from here rather than each writing it down.
 */
public final class FlowerNetLayout {

  public static final TensorLayout LAYOUT =
      new TensorLayout(
          List.of(
              TensorSpec.float32("conv1.weight", 6, 3, 5, 5),
              TensorSpec.float32("conv1.bias", 6),
              TensorSpec.float32("conv2.weight", 16, 6, 5, 5),
              TensorSpec.float32("conv2.bias", 16),
              TensorSpec.float32("fc1.weight", 120, 400),
              TensorSpec.float32("fc1.bias", 120),
              TensorSpec.float32("fc2.weight", 84, 120),
              TensorSpec.float32("fc2.bias", 84),
              TensorSpec.float32("fc3.weight", 10, 84),
              TensorSpec.float32("fc3.bias", 10)));

  private FlowerNetLayout() {}
}
