package io.fedsecure.supernode.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.fedsecure.crypto.weights.NamedTensor;
import io.fedsecure.crypto.weights.TensorLayout;
import io.fedsecure.crypto.weights.TensorSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link CifarNet}'s function (the same layers, shapes and PyTorch semantics as
 * {@link CifarNet#newBlock()}), computed with direct PyTorch calls over one contiguous parameter
 * buffer in {@link CifarNet#LAYOUT} order.
 *
 * <p>Why not DJL's Block, Trainer and Optimizer: for a 62,006-parameter net on batches of 32 the
 * kernels take a few milliseconds per batch, and DJL's generic path added per-parameter work on
 * top of them (a ParameterStore lookup per parameter, a gradient wrapper, and an SGD update of six
 * native ops per parameter tensor, so 60 tiny ops per step), plus Java allocations that kept the
 * JIT compilers busy on a two-core node. Here the parameters are one autograd leaf: each forward
 * splits it into views (one op), backward delivers one flat gradient (split's backward is a
 * single concatenation), and the SGD-momentum step is one native call over the whole buffer.
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

  /** Copies {@code weights} (checked against {@link CifarNet#LAYOUT}) into a new buffer under {@code parent}. */
  FlatCifarNet(NDManager parent, List<NamedTensor> weights) {
    this.layout = CifarNet.LAYOUT;
    List<TensorSpec> specs = layout.tensors();
    if (weights.size() != specs.size()) {
      throw new IllegalArgumentException("expected " + specs.size() + " tensors (" + specs.get(0).name() + " .. "
          + specs.get(specs.size() - 1).name() + "), got " + weights.size());
    }
    sizes = new long[specs.size()];
    shapes = new Shape[specs.size()];
    float[] flat = new float[Math.toIntExact(layout.parameterCount())];
    int offset = 0;
    for (int i = 0; i < specs.size(); i++) {
      NamedTensor w = weights.get(i);
      if (!w.spec().equals(specs.get(i))) {
        throw new IllegalArgumentException("tensor " + i + " is " + w.spec() + ", expected " + specs.get(i));
      }
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
   * Logits for a batch of NCHW images. Every intermediate belongs to {@code batch}. With grad mode
   * on, the graph leads back to the flat parameter buffer.
   */
  NDArray forward(NDManager batch, NDArray images) {
    NDList views = JniUtils.split(parameters, sizes, 0);
    views.attach(batch);
    PtNDArray x = (PtNDArray) images;
    x = JniUtils.convolution(x, weight(views, 0), bias(views, 1), KERNEL_STRIDE, NO_PADDING, DILATION, 1);
    x = JniUtils.maxPool(JniUtils.relu(x), POOL, POOL, NO_PADDING, false);
    x = JniUtils.convolution(x, weight(views, 2), bias(views, 3), KERNEL_STRIDE, NO_PADDING, DILATION, 1);
    x = JniUtils.maxPool(JniUtils.relu(x), POOL, POOL, NO_PADDING, false);
    x = JniUtils.reshape(x, new long[] {-1, FLAT_FEATURES});
    x = JniUtils.relu(JniUtils.linear(x, weight(views, 4), bias(views, 5)));
    x = JniUtils.relu(JniUtils.linear(x, weight(views, 6), bias(views, 7)));
    return JniUtils.linear(x, weight(views, 8), bias(views, 9));
  }

  /**
   * One SGD-momentum step on a batch; returns the batch's mean cross-entropy as a scalar tensor
   * in {@code batch} (not read back, so no per-batch device sync).
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

  /** Mean cross-entropy of logits against [batch, 1] int64 labels: PyTorch's {@code F.cross_entropy}. */
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

  private PtNDArray weight(NDList views, int i) {
    return JniUtils.reshape((PtNDArray) views.get(i), shapes[i].getShape());
  }

  private static PtNDArray bias(NDList views, int i) {
    return (PtNDArray) views.get(i);
  }
}
