package io.fedsecure.supernode.training;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import io.fedsecure.protocol.weights.FlowerNetLayout;
import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.protocol.weights.TensorSpec;
import io.fedsecure.supernode.data.CifarRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Flower's PyTorch example {@code Net} for CIFAR-10, in DJL: conv(3->6, 5x5) ReLU maxpool(2)
 * conv(6->16, 5x5) ReLU maxpool(2) flatten fc(400->120) ReLU fc(120->84) ReLU fc(84->10), 62,006
 * parameters. Its wire layout is PyTorch's {@code state_dict()}: same names, order and shapes, so a
 * DJL node and a PyTorch node can take part in the same federation.
 */
public final class CifarNet {

  /**
   * PyTorch's state-dict of {@code Net}. DJL keeps the same shapes: Conv2d [out,in,kh,kw], Linear
   * [out,in].
   */
  public static final TensorLayout LAYOUT = FlowerNetLayout.LAYOUT;

  public static final int NUM_CLASSES = CifarRecords.NUM_CLASSES;

  private CifarNet() {}

  /** The input of one batch: NCHW float32. */
  public static Shape inputShape(int batchSize) {
    return new Shape(batchSize, CifarRecords.CHANNELS, CifarRecords.SIDE, CifarRecords.SIDE);
  }

  /** A fresh, uninitialised block; its parameters come in {@link #LAYOUT} order. */
  public static SequentialBlock newBlock() {
    return new SequentialBlock()
        .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(6).build())
        .add(Activation::relu)
        .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
        .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(16).build())
        .add(Activation::relu)
        .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(120).build())
        .add(Activation::relu)
        .add(Linear.builder().setUnits(84).build())
        .add(Activation::relu)
        .add(Linear.builder().setUnits(NUM_CLASSES).build());
  }

  /**
   * Weights drawn like PyTorch's default {@code reset_parameters()} for Conv2d and Linear
   * (kaiming_uniform with a = sqrt(5), which is U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and the same
   * bound for biases), so a run started here behaves like one started from {@code Net()}. Not
   * PyTorch's random stream: the same seed gives different numbers than torch.manual_seed.
   */
  public static List<NamedTensor> initialWeights(long seed) {
    Random random = new Random(seed);
    List<NamedTensor> tensors = new ArrayList<>();
    long fanIn = 0;
    for (TensorSpec spec : LAYOUT.tensors()) {
      long[] shape = spec.shape();
      if (shape.length > 1) {
        fanIn = spec.elementCount() / shape[0];
      }
      double bound = 1 / Math.sqrt(fanIn);
      float[] data = new float[Math.toIntExact(spec.elementCount())];
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
      }
      tensors.add(new NamedTensor(spec, data));
    }
    return tensors;
  }
}
