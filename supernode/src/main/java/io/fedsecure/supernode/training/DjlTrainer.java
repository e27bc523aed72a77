package io.fedsecure.supernode.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.supernode.data.CifarPartition;
import io.fedsecure.supernode.data.CifarRecords;
import io.fedsecure.supernode.data.CifarSplit;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains and evaluates {@link CifarNet} on the node's partition with DJL's PyTorch engine, on the
 * engine's default device (a GPU where DJL finds CUDA natives and a device, else the CPU).
 *
 * <p>Both splits are copied to the device once, pre-normalised. Training stages 32 batches at a
 * time in epoch order with one gather on the device and takes each batch as a view of it; an
 * evaluation batch is a view of the test split: no per-batch Java-side copies or normalisation. The
 * net runs as {@link FlatCifarNet} (one parameter buffer, one fused SGD-momentum update per step;
 * why in that class). Every call builds its parameters afresh from the weights it is given and
 * frees them afterwards: the momentum starts from zero each round (as a Flower client's new {@code
 * torch.optim.SGD} does) and nothing accumulates across rounds.
 *
 * <p>Not thread-safe: calls come from the node's single task worker, one at a time (and the
 * intra-op thread count is process-wide anyway).
 */
public final class DjlTrainer implements LocalTrainer {

  private static final Logger log = LoggerFactory.getLogger(DjlTrainer.class);
  private static final String ENGINE = "PyTorch";

  /** Batches gathered at once: fewer, larger copies, at 32 x 12 KiB per batch of 32 images. */
  private static final int STAGED_BATCHES = 32;

  private static final String THREADS = "ai.djl.pytorch.num_threads";
  private static final String INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";

  private final CifarPartition partition; // CPU tensors may alias its direct buffers
  private final Device device;
  private final NDManager data;
  private final NDArray trainImages;
  private final NDArray trainLabels;
  private final NDArray testImages;
  private final NDArray testLabels;
  private final Random shuffle;

  /**
   * Must run before the first touch of DJL's Engine: PtEngine reads these once, when it loads.
   * Offline again here because not every JVM that trains comes through SuperNodeMain.
   */
  public static void applyThreadSettings(int threads) {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    System.setProperty(THREADS, Integer.toString(threads));
    System.setProperty(INTEROP_THREADS, Integer.toString(threads));
  }

  /**
   * @param seed seeds the epoch shuffles; each epoch of each call draws a new order from it
   * @param intraOpThreads PyTorch's intra-op threads. Best set before the engine loads through
   *     {@link #applyThreadSettings}; applied here too in case something loaded the engine first.
   *     Process-wide: one trainer per JVM.
   */
  public DjlTrainer(CifarPartition partition, long seed, int intraOpThreads) {
    if (intraOpThreads < 1) {
      throw new IllegalArgumentException(
          "intra-op threads must be at least 1, got " + intraOpThreads);
    }
    this.partition = partition;
    Engine engine = Engine.getEngine(ENGINE);
    if (JniUtils.getNumThreads() != intraOpThreads) {
      JniUtils.setNumThreads(intraOpThreads);
    }
    this.device = engine.defaultDevice();
    this.data = engine.newBaseManager(device);
    try {
      this.trainImages = images(partition.train());
      this.trainLabels = labels(partition.train());
      this.testImages = images(partition.test());
      this.testLabels = labels(partition.test());
    } catch (RuntimeException e) {
      data.close();
      throw e;
    }
    this.shuffle = new Random(seed);
    int threads = JniUtils.getNumThreads();
    log.info(
        "Training on {}, {} intra-op thread{} ({} inter-op); {} train / {} test images from {}",
        device,
        threads,
        threads == 1 ? "" : "s",
        JniUtils.getNumInteropThreads(),
        partition.train().size(),
        partition.test().size(),
        partition.directory());
  }

  public Device device() {
    return device;
  }

  @Override
  public TensorLayout layout() {
    return CifarNet.LAYOUT;
  }

  /**
   * {@code meanLoss} is the mean of the per-batch mean cross-entropy over the last epoch (the loss
   * the model ends with, not the average over a run that starts from the global weights). The final
   * batch of an epoch may be smaller, as with PyTorch's {@code drop_last=False}.
   *
   * @throws IllegalStateException when the loss stops being finite (learning rate too high)
   * @throws IllegalArgumentException for weights of another layout or impossible settings
   */
  @Override
  public TrainResult train(List<NamedTensor> weights, TrainSettings settings) {
    if (settings.localEpochs() < 1
        || settings.batchSize() < 1
        || !(settings.learningRate() > 0)
        || Double.isInfinite(settings.learningRate())) {
      throw new IllegalArgumentException(
          "invalid train settings "
              + settings
              + ": need local-epochs >= 1, batch-size >= 1, 0 < learning-rate < infinity");
    }
    long started = System.nanoTime();
    int n = partition.train().size();
    int batchSize = Math.min(settings.batchSize(), n);
    float learningRate = (float) settings.learningRate();
    // A whole number of batches, so batch boundaries are those of the plain epoch order.
    int stageSize = batchSize * STAGED_BATCHES;
    double lastEpochLoss = Double.NaN;
    try (NDManager round = data.newSubManager();
        FlatCifarNet net = new FlatCifarNet(round, weights)) {
      long[] order = new long[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      for (int epoch = 0; epoch < settings.localEpochs(); epoch++) {
        shuffle(order);
        int batches = 0;
        try (NDManager epochManager = round.newSubManager()) {
          PtNDArray epochOrder = (PtNDArray) epochManager.create(order);
          // Summed on the device: reading each batch's loss back would sync every batch.
          NDArray lossSum = epochManager.zeros(new Shape(), DataType.FLOAT32);
          for (int stageStart = 0; stageStart < n; stageStart += stageSize) {
            int stageEnd = Math.min(n, stageStart + stageSize);
            try (NDManager stage = epochManager.newSubManager()) {
              // One gather stages the next batches in epoch order; each batch is then a view.
              PtNDArray index = JniUtils.slice(epochOrder, 0, stageStart, stageEnd, 1);
              index.attach(stage);
              NDIndex pick = new NDIndex("{}", index);
              PtNDArray images = (PtNDArray) trainImages.get(stage, pick);
              PtNDArray labels = (PtNDArray) trainLabels.get(stage, pick);
              for (int start = 0; start < stageEnd - stageStart; start += batchSize) {
                int end = Math.min(stageEnd - stageStart, start + batchSize);
                try (NDManager batch = stage.newSubManager()) {
                  PtNDArray x = JniUtils.slice(images, 0, start, end, 1);
                  PtNDArray y = JniUtils.slice(labels, 0, start, end, 1);
                  x.attach(batch);
                  y.attach(batch);
                  lossSum.addi(net.trainStep(batch, x, y, learningRate));
                }
                batches++;
              }
            }
          }
          lastEpochLoss = lossSum.getFloat() / batches;
        }
        if (!Double.isFinite(lastEpochLoss)) {
          // Sending NaN weights would poison the aggregate; fail this round instead.
          throw new IllegalStateException(
              "training diverged in epoch "
                  + (epoch + 1)
                  + " (mean loss "
                  + lastEpochLoss
                  + "); lower learning-rate "
                  + settings.learningRate());
        }
      }
      return new TrainResult(net.read(), n, lastEpochLoss, seconds(started));
    }
  }

  /** Mean cross-entropy and top-1 accuracy over the whole local test split. */
  @Override
  public EvalResult evaluate(List<NamedTensor> weights, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    long started = System.nanoTime();
    int n = partition.test().size();
    JniUtils.setGradMode(false); // no graph to record: PyTorch's no_grad()
    try (NDManager round = data.newSubManager();
        FlatCifarNet net = new FlatCifarNet(round, weights)) {
      // Accumulated on the device and read once: no per-batch sync.
      NDArray lossSum = round.zeros(new Shape(), DataType.FLOAT32);
      NDArray correct = round.zeros(new Shape(), DataType.INT64);
      PtNDArray[] parameters = net.views(round);
      for (int start = 0; start < n; start += batchSize) {
        int end = Math.min(n, start + batchSize);
        try (NDManager batch = round.newSubManager()) {
          PtNDArray x = JniUtils.slice((PtNDArray) testImages, 0, start, end, 1);
          PtNDArray y = JniUtils.slice((PtNDArray) testLabels, 0, start, end, 1);
          x.attach(batch);
          y.attach(batch);
          NDArray logits = FlatCifarNet.forward(x, parameters, false);
          lossSum.addi(FlatCifarNet.crossEntropy(logits, y).mul(end - start));
          correct.addi(logits.argMax(1).reshape(-1, 1).eq(y).sum());
        }
      }
      return new EvalResult(
          n, lossSum.getFloat() / n, (double) correct.getLong() / n, seconds(started));
    }
  }

  @Override
  public void close() {
    data.close();
  }

  private NDArray images(CifarSplit split) {
    // A direct native-order ByteBuffer goes to PyTorch without another Java-side copy.
    return data.create(
        split.pixels().duplicate().order(ByteOrder.nativeOrder()),
        new Shape(split.size(), CifarRecords.CHANNELS, CifarRecords.SIDE, CifarRecords.SIDE),
        DataType.FLOAT32);
  }

  private NDArray labels(CifarSplit split) {
    long[] labels = new long[split.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = split.labels()[i];
    }
    // [n, 1]: a batch of them is gather()'s index for cross-entropy without a reshape.
    return data.create(labels, new Shape(labels.length, 1));
  }

  private void shuffle(long[] a) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = shuffle.nextInt(i + 1);
      long t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
