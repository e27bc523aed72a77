package io.fedsecure.loadgen;

import io.fedsecure.supernode.data.CifarPartition;
import io.fedsecure.supernode.data.CifarRecords;
import io.fedsecure.supernode.data.CifarSplit;
import io.fedsecure.supernode.data.PartitionLoader;
import io.fedsecure.supernode.training.CifarNet;
import io.fedsecure.supernode.training.DjlTrainer;
import io.fedsecure.supernode.training.LocalTrainer.EvalResult;
import io.fedsecure.supernode.training.LocalTrainer.TrainResult;
import io.fedsecure.supernode.training.LocalTrainer.TrainSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * DJL's side of the training benchmark: the counterpart of {@code bench/native/reference.py
 * train-bench}, run through the production {@link DjlTrainer} so the figure is what a node gets.
 * Prints one JSON line with the reference's keys; scripts/bench_training.sh alternates the two.
 *
 * <p>Same protocol as the reference: the first {@code --images} records of train.bin and of
 * test.bin, a warm-up (one epoch on the first {@code --warmup} images, one evaluation) that
 * compiles the JIT paths and sizes PyTorch's allocator, then one timed epoch and one timed
 * evaluation with the trained weights.
 */
@Command(
    name = "training-benchmark",
    mixinStandardHelpOptions = true,
    description = "Images/s of DjlTrainer's local training and evaluation; prints one JSON line.")
public final class TrainingBenchmark implements Callable<Integer> {

  @Option(
      names = "--partition",
      required = true,
      paramLabel = "DIR",
      description = "a cifar10_part_<k> directory")
  Path partition;

  @Option(
      names = "--images",
      defaultValue = "10000",
      description = "images per split (default: ${DEFAULT-VALUE})")
  int images;

  @Option(
      names = "--warmup",
      defaultValue = "2000",
      description = "warm-up images (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(
      names = "--threads",
      defaultValue = "1",
      description = "PyTorch intra-op threads (default: ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--batch-size", defaultValue = "32")
  int batchSize;

  @Option(names = "--learning-rate", defaultValue = "0.01")
  double learningRate;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  public static void main(String[] args) {
    // Before anything touches DJL's Engine: it phones home otherwise.
    System.setProperty("ai.djl.offline", "true");
    System.exit(new CommandLine(new TrainingBenchmark()).execute(args));
  }

  @Override
  public Integer call() {
    if (images < 1 || warmup < 1 || threads < 1 || batchSize < 1) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--images, --warmup, --threads, --batch-size must be >= 1");
    }
    DjlTrainer.applyThreadSettings(threads);
    CifarPartition full = PartitionLoader.load(partition);
    CifarPartition timed = first(full, images);
    CifarPartition warm = first(full, warmup);
    TrainSettings settings = new TrainSettings(1, batchSize, learningRate);

    try (DjlTrainer warmTrainer = new DjlTrainer(warm, seed, threads)) {
      TrainResult w = warmTrainer.train(CifarNet.initialWeights(seed), settings);
      warmTrainer.evaluate(w.weights(), batchSize);
    }
    try (DjlTrainer trainer = new DjlTrainer(timed, seed, threads)) {
      // CPU time of this thread too: with one intra-op thread PyTorch computes on the caller, and
      // on a shared machine CPU time shows the work apart from waiting for a core.
      ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
      long cpu0 = cpu.getCurrentThreadCpuTime();
      TrainResult trained = trainer.train(CifarNet.initialWeights(seed), settings);
      long cpu1 = cpu.getCurrentThreadCpuTime();
      EvalResult evaluated = trainer.evaluate(trained.weights(), batchSize);
      long cpu2 = cpu.getCurrentThreadCpuTime();
      System.out.println(
          String.format(
              Locale.ROOT,
              "{\"impl\": \"djl-pytorch\", \"threads\": %d, \"interop_threads\": %d, \"train_images\": %d,"
                  + " \"train_seconds\": %.6f, \"train_images_per_second\": %.3f, \"eval_images\": %d,"
                  + " \"eval_seconds\": %.6f, \"eval_images_per_second\": %.3f, \"train_loss\": %.6f,"
                  + " \"eval_accuracy\": %.4f, \"train_cpu_seconds\": %.6f, \"eval_cpu_seconds\": %.6f}",
              ai.djl.pytorch.jni.JniUtils.getNumThreads(),
              ai.djl.pytorch.jni.JniUtils.getNumInteropThreads(),
              trained.numExamples(),
              trained.seconds(),
              trained.numExamples() / trained.seconds(),
              evaluated.numExamples(),
              evaluated.seconds(),
              evaluated.numExamples() / evaluated.seconds(),
              trained.meanLoss(),
              evaluated.accuracy(),
              (cpu1 - cpu0) / 1e9,
              (cpu2 - cpu1) / 1e9));
    }
    return 0;
  }

  /** The first {@code n} images of each split, sharing the loaded buffers. */
  private static CifarPartition first(CifarPartition p, int n) {
    return new CifarPartition(
        p.directory(), first(p.train(), n), first(p.test(), n), java.util.Optional.empty());
  }

  private static CifarSplit first(CifarSplit s, int n) {
    int k = Math.min(n, s.size());
    return new CifarSplit(
        s.file(),
        k,
        s.pixels()
            .slice(0, k * CifarRecords.IMAGE_FLOATS * Float.BYTES)
            .order(ByteOrder.nativeOrder()),
        Arrays.copyOf(s.labels(), k));
  }
}
