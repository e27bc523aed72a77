package io.fedsecure.supernode.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.fedsecure.crypto.weights.NamedTensor;
import io.fedsecure.crypto.weights.TensorLayout;
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
 * <p>Both splits are copied to the device once, pre-normalised; a batch is one gather by index on
 * the device, so no per-batch Java-side copies or normalisation. Every call builds a fresh model
 * from the weights it is given and closes it afterwards: the optimizer's momentum starts from zero
 * each round (as a Flower client's new {@code torch.optim.SGD} does) and nothing accumulates across
 * rounds.
 *
 * <p>Not thread-safe: calls come from the node's single task worker, one at a time (PyTorch's
 * autograd switch that DJL toggles is process-wide anyway).
 */
public final class DjlTrainer implements LocalTrainer {

  private static final Logger log = LoggerFactory.getLogger(DjlTrainer.class);
  private static final String ENGINE = "PyTorch";

  private final CifarPartition partition; // CPU tensors may alias its direct buffers
  private final Device device;
  private final NDManager data;
  private final NDArray trainImages;
  private final NDArray trainLabels;
  private final NDArray testImages;
  private final NDArray testLabels;
  private final Random shuffle;

  /**
   * @param seed seeds the epoch shuffles; each epoch of each call draws a new order from it
   * @param intraOpThreads PyTorch's intra-op threads. Best set before the engine loads through
   *     {@code ai.djl.pytorch.num_threads} (see {@link TrainingConfiguration}); applied here too in
   *     case something loaded the engine first. Process-wide: one trainer per JVM.
   */
  public DjlTrainer(CifarPartition partition, long seed, int intraOpThreads) {
    if (intraOpThreads < 1) {
      throw new IllegalArgumentException("intra-op threads must be at least 1, got " + intraOpThreads);
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
    log.info("Training on {}, {} intra-op thread{} ({} inter-op); {} train / {} test images from {}", device, threads,
        threads == 1 ? "" : "s", JniUtils.getNumInteropThreads(), partition.train().size(), partition.test().size(),
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
   * {@code meanLoss} is the mean of the per-batch mean cross-entropy over the last epoch (the
   * loss the model ends with, not the average over a run that starts from the global weights).
   * The final batch of an epoch may be smaller, as with PyTorch's {@code drop_last=False}.
   *
   * @throws IllegalStateException when the loss stops being finite (learning rate too high)
   * @throws IllegalArgumentException for weights of another layout or impossible settings
   */
  @Override
  public TrainResult train(List<NamedTensor> weights, TrainSettings settings) {
    if (settings.localEpochs() < 1 || settings.batchSize() < 1
        || !(settings.learningRate() > 0) || Double.isInfinite(settings.learningRate())) {
      throw new IllegalArgumentException("invalid train settings " + settings
          + ": need local-epochs >= 1, batch-size >= 1, 0 < learning-rate < infinity");
    }
    long started = System.nanoTime();
    int n = partition.train().size();
    int batchSize = Math.min(settings.batchSize(), n);
    DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
        .optOptimizer(Optimizer.sgd()
            .setLearningRateTracker(Tracker.fixed((float) settings.learningRate()))
            .optMomentum(0.9f)
            .build())
        .optDevices(new Device[] {device});
    double lastEpochLoss = Double.NaN;
    try (Model model = newModel(); Trainer trainer = model.newTrainer(config)) {
      trainer.initialize(CifarNet.inputShape(batchSize));
      NetParameters parameters = NetParameters.bind(model.getBlock(), CifarNet.LAYOUT);
      parameters.load(weights);
      long[] order = new long[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      long[] batchIndex = new long[batchSize];
      for (int epoch = 0; epoch < settings.localEpochs(); epoch++) {
        shuffle(order);
        double lossSum = 0;
        int batches = 0;
        for (int start = 0; start < n; start += batchSize) {
          int len = Math.min(batchSize, n - start);
          long[] index = len == batchSize ? batchIndex : new long[len];
          System.arraycopy(order, start, index, 0, len);
          try (NDManager batch = data.newSubManager()) {
            NDIndex pick = new NDIndex("{}", batch.create(index));
            NDArray x = trainImages.get(batch, pick);
            NDArray y = trainLabels.get(batch, pick);
            try (GradientCollector collector = trainer.newGradientCollector()) {
              NDList logits = trainer.forward(new NDList(x));
              NDArray loss = trainer.getLoss().evaluate(new NDList(y), logits);
              collector.backward(loss);
              lossSum += loss.getFloat();
            }
            trainer.step();
          }
          batches++;
        }
        lastEpochLoss = lossSum / batches;
        if (!Double.isFinite(lastEpochLoss)) {
          // Sending NaN weights would poison the aggregate; fail this round instead.
          throw new IllegalStateException("training diverged in epoch " + (epoch + 1) + " (mean loss " + lastEpochLoss
              + "); lower learning-rate " + settings.learningRate());
        }
      }
      List<NamedTensor> updated = parameters.read();
      return new TrainResult(updated, n, lastEpochLoss, seconds(started));
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
    Loss loss = Loss.softmaxCrossEntropyLoss();
    try (Model model = newModel()) {
      Block block = model.getBlock();
      block.initialize(model.getNDManager(), DataType.FLOAT32, CifarNet.inputShape(Math.min(batchSize, n)));
      NetParameters.bind(block, CifarNet.LAYOUT).load(weights);
      ParameterStore store = new ParameterStore(model.getNDManager(), false);
      double lossSum = 0;
      long correct = 0;
      for (int start = 0; start < n; start += batchSize) {
        int end = Math.min(n, start + batchSize);
        try (NDManager batch = data.newSubManager()) {
          NDIndex range = new NDIndex("{}:{}", start, end);
          NDArray x = testImages.get(batch, range);
          NDArray y = testLabels.get(batch, range);
          NDArray logits = block.forward(store, new NDList(x), false).singletonOrThrow();
          lossSum += loss.evaluate(new NDList(y), new NDList(logits)).getFloat() * (double) (end - start);
          correct += logits.argMax(1).eq(y).sum().getLong();
        }
      }
      return new EvalResult(n, lossSum / n, (double) correct / n, seconds(started));
    }
  }

  @Override
  public void close() {
    data.close();
  }

  private Model newModel() {
    Model model = Model.newInstance("cifar-net", device, ENGINE);
    model.setBlock(CifarNet.newBlock());
    return model;
  }

  private NDArray images(CifarSplit split) {
    // A direct native-order ByteBuffer goes to PyTorch without another Java-side copy.
    return data.create(split.pixels().duplicate().order(ByteOrder.nativeOrder()),
        new Shape(split.size(), CifarRecords.CHANNELS, CifarRecords.SIDE, CifarRecords.SIDE), DataType.FLOAT32);
  }

  private NDArray labels(CifarSplit split) {
    long[] labels = new long[split.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = split.labels()[i];
    }
    return data.create(labels);
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
