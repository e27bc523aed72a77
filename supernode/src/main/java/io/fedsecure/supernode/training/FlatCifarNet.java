package io.fedsecure.supernode.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.protocol.weights.TensorSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link CifarNet}'s function (the same layers, shapes and PyTorch semantics as {@link
 * CifarNet#newBlock()}), computed with direct PyTorch calls over one contiguous parameter buffer in
 * {@link CifarNet#LAYOUT} order.
 *
 * <p>Why not DJL's Block, Trainer and Optimizer: for a 62,006-parameter net on batches of 32 the
 * kernels take a few milliseconds per batch, and DJL's generic path added per-parameter work on top
 * of them (a ParameterStore lookup per parameter, a gradient wrapper, and an SGD update of six
 * native ops per parameter tensor, so 60 tiny ops per step), plus enough Java code and garbage to
 * keep the JIT compilers and the collector busy on the other core of a two-core node. Here the
 * parameters are one autograd leaf: each forward splits it into views (one op), backward delivers
 * one flat gradient (split's backward is a single concatenation), and the SGD-momentum step is one
 * native call over the whole buffer.
 *
 * <p>The optimizer is DJL's own {@code sgdUpdate} with the settings DjlTrainer used before (no
 * weight decay, no clipping, rescale 1): {@code v = 0.9 v + lr g; w -= v}, which for a fixed
 * learning rate is PyTorch's SGD with momentum 0.9 ({@code b = 0.9 b + g; w -= lr b}, v = lr b).
 *
 * <p>Not thread-safe; PyTorch's grad mode is per thread, and this class switches it.
 */
final class FlatCifarNet implements AutoCloseable {

  private static final Shape KERNEL_STRIDE = new Shape(1, 1);
  private static final Shape NO_PADDING = new Shape(0, 0);
  private static final Shape DILATION = new Shape(1, 1);
  private static final Shape POOL = new Shape(2, 2);
  private static final int FLAT_FEATURES = 16 * 5 * 5;

  private final TensorLayout layout;
  private final NDManager manager;
  private final PtNDArray parameters;
  private final PtNDArray velocity;
  private final PtNDArray one;
  private final long[] sizes;
  private final Shape[] shapes;

  /**
   * Copies {@code weights} (checked against {@link CifarNet#LAYOUT}) into a new buffer under {@code
   * parent}.
   */
  FlatCifarNet(NDManager parent, List<NamedTensor> weights) {
    this.layout = CifarNet.LAYOUT;
    List<TensorSpec> specs = layout.tensors();
    layout.check(weights);
    sizes = new long[specs.size()];
    shapes = new Shape[specs.size()];
    float[] flat = new float[Math.toIntExact(layout.parameterCount())];
    int offset = 0;
    for (int i = 0; i < specs.size(); i++) {
      NamedTensor w = weights.get(i);
      sizes[i] = specs.get(i).elementCount();
      shapes[i] = new Shape(specs.get(i).shape());
      System.arraycopy(w.data(), 0, flat, offset, w.data().length);
      offset += w.data().length;
    }
    manager = parent.newSubManager();
    try {
      parameters = (PtNDArray) manager.create(flat);
      velocity = (PtNDArray) manager.zeros(parameters.getShape(), DataType.FLOAT32);
      one = (PtNDArray) manager.create(1f);
      parameters.setRequiresGradient(true);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * Logits for a batch of NCHW images (which must belong to {@code batch}, as every intermediate
   * will). With grad mode on, the graph leads back to the flat parameter buffer.
   */
  NDArray forward(NDManager batch, NDArray images) {
    return forward(images, views(batch), true);
  }

  /**
   * The parameters as tensors of their layout shapes: views of the flat buffer, made in {@code
   * manager}. Made with grad mode on, they are part of the graph (their backward lands in the flat
   * gradient), so training makes them per batch; evaluation can make them once.
   */
  PtNDArray[] views(NDManager manager) {
    NDList parts = JniUtils.split(parameters, sizes, 0);
    parts.attach(manager);
    PtNDArray[] views = new PtNDArray[parts.size()];
    for (int i = 0; i < views.length; i++) {
      PtNDArray part = (PtNDArray) parts.get(i);
      views[i] = shapes[i].dimension() == 1 ? part : JniUtils.reshape(part, shapes[i].getShape());
    }
    return views;
  }

  /**
   * Logits; intermediates belong to the images' manager.
   *
   * <p>Each conv block runs as maxpool-then-ReLU rather than the Block's ReLU-then-maxpool: the
   * same values (ReLU is monotonic, so it commutes with max) and the same gradients (where a
   * window's maximum is positive both orders route the gradient to its first maximal element; where
   * it is not, both give zero, one through ReLU's mask on the input side, the other on the pooled
   * side), at a quarter of the ReLU work. FlatCifarNetTest holds it to the Block.
   *
   * @param training pool with PyTorch's max_pool2d, whose indices its backward needs; otherwise
   *     with {@link #maxOfFour}, which gives the same values several times faster
   */
  static NDArray forward(NDArray images, PtNDArray[] p, boolean training) {
    PtNDArray x = (PtNDArray) images;
    x = JniUtils.convolution(x, p[0], p[1], KERNEL_STRIDE, NO_PADDING, DILATION, 1);
    x = JniUtils.relu(training ? JniUtils.maxPool(x, POOL, POOL, NO_PADDING, false) : maxOfFour(x));
    x = JniUtils.convolution(x, p[2], p[3], KERNEL_STRIDE, NO_PADDING, DILATION, 1);
    x = JniUtils.relu(training ? JniUtils.maxPool(x, POOL, POOL, NO_PADDING, false) : maxOfFour(x));
    x = JniUtils.reshape(x, new long[] {-1, FLAT_FEATURES});
    x = JniUtils.relu(JniUtils.linear(x, p[4], p[5]));
    x = JniUtils.relu(JniUtils.linear(x, p[6], p[7]));
    return JniUtils.linear(x, p[8], p[9]);
  }

  /**
   * 2x2 max pooling with stride 2 as the elementwise maximum of the four strided views of {@code
   * x}: exactly max_pool2d's values, NaN included (both propagate it), for the even heights and
   * widths this net has (28 and 10). Only for inference: its backward would split ties and cost far
   * more than max_pool2d's. The reason it exists: libtorch 2.7.1's max_pool2d kernel is a scalar
   * loop with a data-dependent branch per element, 5-8x slower than these vectorised ops.
   */
  static PtNDArray maxOfFour(PtNDArray x) {
    long h = x.getShape().get(2);
    long w = x.getShape().get(3);
    PtNDArray top = JniUtils.slice(x, 2, 0, h, 2);
    PtNDArray bottom = JniUtils.slice(x, 2, 1, h, 2);
    PtNDArray upper =
        (PtNDArray) JniUtils.slice(top, 3, 0, w, 2).maximum(JniUtils.slice(top, 3, 1, w, 2));
    PtNDArray lower =
        (PtNDArray) JniUtils.slice(bottom, 3, 0, w, 2).maximum(JniUtils.slice(bottom, 3, 1, w, 2));
    return (PtNDArray) upper.maximum(lower);
  }

  /**
   * One SGD-momentum step on a batch; returns the batch's mean cross-entropy as a scalar tensor in
   * {@code batch} (not read back, so no per-batch device sync).
   *
   * @param labels int64 class indices shaped [batch, 1]
   */
  NDArray trainStep(NDManager batch, NDArray images, NDArray labels, float learningRate) {
    NDArray loss;
    JniUtils.setGradMode(true);
    try {
      loss = crossEntropy(forward(batch, images), labels);
      JniUtils.backward((PtNDArray) loss, one, false, false);
    } finally {
      JniUtils.setGradMode(false);
    }
    PtNDArray gradient = parameters.getGradient();
    gradient.attach(batch);
    // Grad mode is off: in-place updates of the leaf are not recorded.
    JniUtils.sgdUpdate(parameters, gradient, velocity, learningRate, 0f, 1f, -1f, 0.9f);
    JniUtils.zeroGrad(parameters);
    return loss;
  }

  /**
   * Mean cross-entropy of logits against [batch, 1] int64 labels: PyTorch's {@code
   * F.cross_entropy}.
   */
  static NDArray crossEntropy(NDArray logits, NDArray labels) {
    PtNDArray logProbabilities = JniUtils.logSoftmax((PtNDArray) logits, 1, DataType.FLOAT32);
    return JniUtils.mean(JniUtils.gather(logProbabilities, (PtNDArray) labels, 1)).neg();
  }

  /** The current values, as fresh arrays in layout order. */
  List<NamedTensor> read() {
    float[] flat = parameters.toFloatArray();
    List<NamedTensor> out = new ArrayList<>(sizes.length);
    int offset = 0;
    for (int i = 0; i < sizes.length; i++) {
      float[] data = new float[(int) sizes[i]];
      System.arraycopy(flat, offset, data, 0, data.length);
      offset += data.length;
      out.add(new NamedTensor(layout.tensors().get(i), data));
    }
    return out;
  }

  @Override
  public void close() {
    manager.close();
  }
}
