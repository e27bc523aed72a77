package io.fedsecure.superlink.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SamplingTest {

  @Test
  void sizeIsCeilOfFractionAtLeastTheMinimumAtMostAvailable() {
    assertThat(Sampling.sampleSize(2, 1.0, 2)).isEqualTo(2);
    assertThat(Sampling.sampleSize(10, 0.5, 2)).isEqualTo(5);
    assertThat(Sampling.sampleSize(3, 0.5, 1)).isEqualTo(2);
    assertThat(Sampling.sampleSize(10, 0.3, 1)).isEqualTo(3);
    assertThat(Sampling.sampleSize(4, 0.1, 2)).isEqualTo(2);
    assertThat(Sampling.sampleSize(1, 1.0, 2)).isEqualTo(1);
    assertThat(Sampling.sampleSize(0, 1.0, 2)).isZero();
  }

  @Test
  void samplesDistinctCandidatesReproducibly() {
    List<Integer> candidates = IntStream.range(0, 20).boxed().toList();
    List<Integer> a = Sampling.sample(candidates, 7, new SplittableRandom(1));
    List<Integer> b = Sampling.sample(candidates, 7, new SplittableRandom(1));
    assertThat(a).hasSize(7).doesNotHaveDuplicates().isSorted().isEqualTo(b);
    assertThat(candidates).containsAll(a);
    boolean anyDifferent =
        IntStream.range(2, 12)
            .anyMatch(
                seed -> !Sampling.sample(candidates, 7, new SplittableRandom(seed)).equals(a));
    assertThat(anyDifferent).isTrue();
    assertThat(Sampling.sample(candidates, 25, new SplittableRandom(1))).isEqualTo(candidates);
  }
}
