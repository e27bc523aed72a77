package io.fedsecure.loadgen.synthetic;

import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.supernode.training.LocalTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A stand-in for training, for load tests: node {@code k} rounds each global weight w to {@link
 * #PRECISION_BITS} significant bits, onto the grid q(w) = 2^(exponent(w) + 1 - 10), adds {@link
 * #offsetSteps(int) j_k} grid steps (1..8), and claims {@link #numExamples(int) n_k} examples
 * (1..4). No DJL, no data set.
 *
 * <p>Why this shape: every node's value for a parameter is then a small integer multiple of the
 * same q (all nodes received the same w), so every partial sum of n_k * w_k is exact even in
 * float32 (below 2^24 steps for up to {@link #MAX_NODES} nodes). The SuperLink's aggregate is then
 * the same whatever order replies arrive in and whether it sums in float or double, and {@link
 * SyntheticAggregate} predicts it bit for bit.
 */
public final class SyntheticTrainer implements LocalTrainer {

  static final int PRECISION_BITS = 10;

  /** Keeps q a normal float for weights at or near zero. */
  static final int MIN_EXPONENT = -40;

  static final int MAX_OFFSET_STEPS = 8;
  static final int MAX_NUM_EXAMPLES = 4;

  /** Sum of n_k * (2^10 + 8) over the nodes must stay below 2^24 for float32 sums to be exact. */
  public static final int MAX_NODES =
      (1 << 24) / (MAX_NUM_EXAMPLES * ((1 << PRECISION_BITS) + MAX_OFFSET_STEPS));

  private final TensorLayout layout;
  private final int index;
  private final Consumer<List<NamedTensor>> received;

  /**
   * @param index the node's number k (node-k), which fixes j_k and n_k
   * @param received sees each global model handed to {@link #train} (the load generator keeps one
   *     to predict the aggregate); must not modify it
   */
  public SyntheticTrainer(TensorLayout layout, int index, Consumer<List<NamedTensor>> received) {
    if (index < 1) {
      throw new IllegalArgumentException("synthetic node index must be at least 1, got " + index);
    }
    this.layout = layout;
    this.index = index;
    this.received = received;
  }

  /** j_k, in grid steps: 1..8. */
  public static int offsetSteps(int index) {
    return 1 + Math.floorMod(index * 5, MAX_OFFSET_STEPS);
  }

  /** n_k: 1..4. */
  public static long numExamples(int index) {
    return 1 + Math.floorMod(index * 3L, MAX_NUM_EXAMPLES);
  }

  /** The grid step for a global weight w: |w| &lt; 2^10 steps. */
  public static double quantum(float w) {
    if (!Float.isFinite(w)) {
      throw new IllegalArgumentException("the synthetic trainer needs finite weights, got " + w);
    }
    int exponent = Math.max(Math.getExponent(w), MIN_EXPONENT);
    return Math.scalb(1.0, exponent + 1 - PRECISION_BITS);
  }

  /** w in grid steps, rounded half to even. */
  public static long steps(float w) {
    return (long) Math.rint(w / quantum(w));
  }

  /** What node {@code index} sends back for the global weight {@code w}; exact in float32. */
  public static float updated(float w, int index) {
    return (float) ((steps(w) + offsetSteps(index)) * quantum(w));
  }

  @Override
  public TensorLayout layout() {
    return layout;
  }

  @Override
  public TrainResult train(List<NamedTensor> weights, TrainSettings settings) {
    long start = System.nanoTime();
    received.accept(weights);
    List<NamedTensor> result = new ArrayList<>(weights.size());
    for (NamedTensor tensor : weights) {
      float[] in = tensor.data();
      float[] out = new float[in.length];
      for (int i = 0; i < in.length; i++) {
        out[i] = updated(in[i], index);
      }
      result.add(new NamedTensor(tensor.spec(), out));
    }
    return new TrainResult(result, numExamples(index), 0.0, (System.nanoTime() - start) / 1e9);
  }

  @Override
  public EvalResult evaluate(List<NamedTensor> weights, int batchSize) {
    return new EvalResult(numExamples(index), 1.0, 0.5, 0.0);
  }
}
