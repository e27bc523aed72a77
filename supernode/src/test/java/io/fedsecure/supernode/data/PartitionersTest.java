package io.fedsecure.supernode.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsecure.supernode.data.Partitioners.TrainTest;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PartitionersTest {

  @Test
  void iidPartitionsAreEqualDisjointAndCoverEveryImage() {
    int[][] parts = Partitioners.iid(1000, 4, 42);
    assertThat(parts).hasNumberOfRows(4);
    assertThat(Arrays.stream(parts).mapToInt(p -> p.length)).containsOnly(250);
    assertCoversOnce(parts, 1000);
  }

  @Test
  void iidSizesDifferByAtMostOneWhenNotDivisible() {
    int[][] parts = Partitioners.iid(1003, 4, 1);
    assertThat(Arrays.stream(parts).mapToInt(p -> p.length)).containsExactly(251, 251, 251, 250);
    assertCoversOnce(parts, 1003);
  }

  @Test
  void iidIsDeterministicPerSeedAndShuffles() {
    assertThat(Partitioners.iid(500, 2, 42)).isDeepEqualTo(Partitioners.iid(500, 2, 42));
    assertThat(Partitioners.iid(500, 2, 42)[0]).isNotEqualTo(Partitioners.iid(500, 2, 43)[0]);
    assertThat(Partitioners.iid(500, 2, 42)[0]).isNotEqualTo(IntStream.range(0, 250).toArray());
  }

  @Test
  void trainTestSplitIsEightyTwentyAndDisjoint() {
    int[] partition = Partitioners.iid(1000, 4, 42)[2];
    TrainTest split = Partitioners.trainTestSplit(partition, 0.8, 7);
    assertThat(split.train()).hasSize(200);
    assertThat(split.test()).hasSize(50);
    Set<Integer> union = new HashSet<>();
    Arrays.stream(split.train()).forEach(union::add);
    Arrays.stream(split.test()).forEach(union::add);
    assertThat(union)
        .hasSize(250)
        .containsExactlyInAnyOrderElementsOf(Arrays.stream(partition).boxed().toList());
    TrainTest again = Partitioners.trainTestSplit(partition, 0.8, 7);
    assertThat(again.train()).isEqualTo(split.train());
    assertThat(Partitioners.trainTestSplit(partition, 0.8, 8).train()).isNotEqualTo(split.train());
  }

  @Test
  void dirichletWithSmallAlphaSkewsLabelsAndAssignsEveryImageOnce() {
    byte[] labels = balancedLabels(2000, 3);
    int[][] skewed = Partitioners.dirichlet(labels, 5, 0.1, 42, 10);
    assertCoversOnce(skewed, labels.length);
    int[][] nearIid = Partitioners.dirichlet(labels, 5, 1000, 42, 10);
    assertCoversOnce(nearIid, labels.length);

    // Share of each partition's most common label: about 0.1 when IID, far higher when skewed.
    double skewedDominance = meanDominantShare(skewed, labels);
    double iidDominance = meanDominantShare(nearIid, labels);
    assertThat(iidDominance).isLessThan(0.2);
    assertThat(skewedDominance).isGreaterThan(0.4);
    assertThat(Arrays.stream(skewed).mapToInt(p -> p.length).min().orElseThrow())
        .isGreaterThanOrEqualTo(10);
    assertThat(Partitioners.dirichlet(labels, 5, 0.1, 42, 10)).isDeepEqualTo(skewed);
  }

  @Test
  void dirichletRefusesImpossibleMinimumSize() {
    byte[] labels = balancedLabels(100, 1);
    assertThatThrownBy(() -> Partitioners.dirichlet(labels, 20, 0.5, 42, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("20 partitions");
    assertThatThrownBy(() -> Partitioners.dirichlet(labels, 2, 0, 42, 1))
        .hasMessageContaining("--alpha");
  }

  @Test
  void gammaSamplerHasTheRightMean() {
    Random random = new Random(5);
    for (double shape : new double[] {0.3, 1, 4.5}) {
      double sum = 0;
      int n = 20000;
      for (int i = 0; i < n; i++) {
        sum += Partitioners.gamma(shape, random);
      }
      assertThat(sum / n)
          .isCloseTo(shape, org.assertj.core.data.Offset.offset(0.05 * shape + 0.02));
    }
  }

  private static byte[] balancedLabels(int n, long seed) {
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) (i % 10);
    }
    Random random = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      byte t = labels[i];
      labels[i] = labels[j];
      labels[j] = t;
    }
    return labels;
  }

  private static double meanDominantShare(int[][] parts, byte[] labels) {
    double total = 0;
    for (int[] part : parts) {
      int[] counts = new int[10];
      for (int i : part) {
        counts[labels[i]]++;
      }
      total += (double) Arrays.stream(counts).max().orElseThrow() / part.length;
    }
    return total / parts.length;
  }

  private static void assertCoversOnce(int[][] parts, int n) {
    int[] all = Arrays.stream(parts).flatMapToInt(Arrays::stream).sorted().toArray();
    assertThat(all).isEqualTo(IntStream.range(0, n).toArray());
  }
}
