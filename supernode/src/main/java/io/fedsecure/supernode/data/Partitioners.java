package io.fedsecure.supernode.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Cuts a data set's image indices into per-node partitions, after Flower Datasets' {@code
 * IidPartitioner} and {@code DirichletPartitioner}. Deterministic per seed, but not
 * numpy-compatible: the same seed does not give Flower's exact partitions.
 */
public final class Partitioners {

  /** Flower's DirichletPartitioner default: a node needs something to train and to test on. */
  public static final int DEFAULT_MIN_PARTITION_SIZE = 10;

  private static final int DIRICHLET_ATTEMPTS = 100;

  private Partitioners() {}

  /** A partition's images split for local training and local evaluation. */
  public record TrainTest(int[] train, int[] test) {}

  /**
   * Shuffles {@code 0..numImages-1} and cuts it into {@code numPartitions} contiguous chunks whose
   * sizes differ by at most one (numpy's {@code array_split}), so every image is used once.
   */
  public static int[][] iid(int numImages, int numPartitions, long seed) {
    requirePartitions(numImages, numPartitions, 1);
    int[] all = shuffledRange(numImages, new Random(seed));
    int[][] parts = new int[numPartitions][];
    int base = numImages / numPartitions;
    int extra = numImages % numPartitions;
    int start = 0;
    for (int p = 0; p < numPartitions; p++) {
      int size = base + (p < extra ? 1 : 0);
      parts[p] = Arrays.copyOfRange(all, start, start + size);
      start += size;
    }
    return parts;
  }

  /**
   * Label skew: for every class, draws partition shares from Dirichlet(alpha, ..., alpha) and deals
   * that class's images out accordingly. Small alpha gives each node few classes; large alpha
   * approaches IID. Every image lands in exactly one partition. Draws again (up to 100 times) while
   * a partition would get fewer than {@code minPartitionSize} images, like Flower.
   *
   * @throws IllegalArgumentException when no draw satisfies {@code minPartitionSize}
   */
  public static int[][] dirichlet(
      byte[] labels, int numPartitions, double alpha, long seed, int minPartitionSize) {
    requirePartitions(labels.length, numPartitions, minPartitionSize);
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("--alpha must be a positive number, got " + alpha);
    }
    Random random = new Random(seed);
    List<List<Integer>> byClass = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      int label = labels[i] & 0xff;
      while (byClass.size() <= label) {
        byClass.add(new ArrayList<>());
      }
      byClass.get(label).add(i);
    }
    int smallest = 0;
    for (int attempt = 0; attempt < DIRICHLET_ATTEMPTS; attempt++) {
      int[][] parts = dealByClass(byClass, numPartitions, alpha, random);
      smallest = Arrays.stream(parts).mapToInt(p -> p.length).min().orElse(0);
      if (smallest >= minPartitionSize) {
        return parts;
      }
    }
    throw new IllegalArgumentException(
        "Dirichlet partitioning with alpha "
            + alpha
            + " into "
            + numPartitions
            + " partitions left a partition with "
            + smallest
            + " images (< "
            + minPartitionSize
            + ") in "
            + DIRICHLET_ATTEMPTS
            + " draws; use a larger --alpha or fewer partitions");
  }

  /**
   * Shuffles one partition and splits it: the first {@code round(size * trainFraction)} images
   * train, the rest are the node's local test set.
   */
  public static TrainTest trainTestSplit(int[] partition, double trainFraction, long seed) {
    if (!(trainFraction > 0 && trainFraction < 1)) {
      throw new IllegalArgumentException("train fraction must be in (0, 1), got " + trainFraction);
    }
    int[] shuffled = partition.clone();
    shuffle(shuffled, new Random(seed));
    int train = (int) Math.round(shuffled.length * trainFraction);
    if (train == 0 || train == shuffled.length) {
      throw new IllegalArgumentException(
          "a partition of "
              + shuffled.length
              + " images cannot be split "
              + trainFraction
              + " / "
              + (1 - trainFraction)
              + " into two non-empty sets");
    }
    return new TrainTest(
        Arrays.copyOfRange(shuffled, 0, train),
        Arrays.copyOfRange(shuffled, train, shuffled.length));
  }

  private static int[][] dealByClass(
      List<List<Integer>> byClass, int numPartitions, double alpha, Random random) {
    List<List<Integer>> parts = new ArrayList<>();
    for (int p = 0; p < numPartitions; p++) {
      parts.add(new ArrayList<>());
    }
    for (List<Integer> members : byClass) {
      List<Integer> images = new ArrayList<>(members);
      Collections.shuffle(images, random);
      double[] shares = dirichletSample(numPartitions, alpha, random);
      double cumulative = 0;
      int start = 0;
      for (int p = 0; p < numPartitions; p++) {
        cumulative += shares[p];
        int end =
            p == numPartitions - 1
                ? images.size()
                : (int) Math.min(images.size(), Math.floor(cumulative * images.size()));
        parts.get(p).addAll(images.subList(start, Math.max(start, end)));
        start = Math.max(start, end);
      }
    }
    return parts.stream()
        .map(l -> l.stream().mapToInt(Integer::intValue).toArray())
        .toArray(int[][]::new);
  }

  private static double[] dirichletSample(int k, double alpha, Random random) {
    double[] x = new double[k];
    double sum = 0;
    for (int i = 0; i < k; i++) {
      x[i] = gamma(alpha, random);
      sum += x[i];
    }
    if (sum == 0 || !Double.isFinite(sum)) {
      // Tiny alpha underflows every draw to 0: the limit is all mass on one partition.
      Arrays.fill(x, 0);
      x[random.nextInt(k)] = 1;
      return x;
    }
    for (int i = 0; i < k; i++) {
      x[i] /= sum;
    }
    return x;
  }

  /** Marsaglia and Tsang's method; shape < 1 through the boost Gamma(a) = Gamma(a+1) * U^(1/a). */
  static double gamma(double shape, Random random) {
    if (shape < 1) {
      return gamma(shape + 1, random) * Math.pow(random.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x;
      double v;
      do {
        x = random.nextGaussian();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      double u = random.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v;
      }
    }
  }

  private static int[] shuffledRange(int n, Random random) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    shuffle(all, random);
    return all;
  }

  private static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private static void requirePartitions(int numImages, int numPartitions, int minSize) {
    if (numPartitions < 1) {
      throw new IllegalArgumentException(
          "--num-partitions must be at least 1, got " + numPartitions);
    }
    if ((long) numPartitions * Math.max(1, minSize) > numImages) {
      throw new IllegalArgumentException(
          numImages
              + " images cannot make "
              + numPartitions
              + " partitions of at least "
              + Math.max(1, minSize)
              + " images");
    }
  }
}
