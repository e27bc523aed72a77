package io.fedsecure.superlink.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.protocol.weights.TensorSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class FedAvgTest {

  private static final TensorSpec W = TensorSpec.float32("w", 2);
  private static final TensorSpec B = TensorSpec.float32("b", 1);
  private static final TensorLayout LAYOUT = new TensorLayout(List.of(W, B));

  private static FedAvg.WeightedModel model(long n, float w0, float w1, float b) {
    return new FedAvg.WeightedModel(
        List.of(new NamedTensor(W, new float[] {w0, w1}), new NamedTensor(B, new float[] {b})), n);
  }

  @Test
  void weighsEachModelByItsExamples() {
    // (1*[1,2] + 3*[3,6]) / 4 = [2.5, 5]; biases (1*10 + 3*-2) / 4 = 1
    List<NamedTensor> avg =
        FedAvg.weightedAverage(LAYOUT, List.of(model(1, 1, 2, 10), model(3, 3, 6, -2)));
    assertThat(avg.get(0).data()).containsExactly(2.5f, 5f);
    assertThat(avg.get(1).data()).containsExactly(1f);
    assertThat(avg.get(0).spec()).isEqualTo(W);
  }

  @Test
  void threeNodesUnequalCounts() {
    // (100*0.5 + 50*1.0 + 850*0.1) / 1000 = 0.185
    List<NamedTensor> avg =
        FedAvg.weightedAverage(
            LAYOUT, List.of(model(100, 0.5f, 0, 0), model(50, 1.0f, 0, 0), model(850, 0.1f, 0, 0)));
    assertThat((double) avg.get(0).data()[0]).isCloseTo(0.185, within(1e-7));
  }

  @Test
  void accumulatesInDoubleSoHugeCountsKeepPrecision() {
    // In float, 2^24 + 1 is 2^24: a float accumulator would lose the small node's contribution.
    long big = 1L << 24;
    List<NamedTensor> avg =
        FedAvg.weightedAverage(
            LAYOUT, List.of(model(big, 1, 0, 0), model(big, 1, 0, 0), model(2, -1000, 0, 0)));
    double expected = (2.0 * big - 2000) / (2.0 * big + 2);
    assertThat((double) avg.get(0).data()[0]).isCloseTo(expected, within(1e-6));
  }

  @Test
  void refusesMismatchedLayoutsAndEmptyInput() {
    assertThatThrownBy(() -> FedAvg.weightedAverage(LAYOUT, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    FedAvg.WeightedModel wrong =
        new FedAvg.WeightedModel(
            List.of(
                new NamedTensor(TensorSpec.float32("x", 2), new float[2]),
                new NamedTensor(B, new float[1])),
            1);
    assertThatThrownBy(() -> FedAvg.weightedAverage(LAYOUT, List.of(wrong)))
        .hasMessageContaining("expected w");
  }

  @Test
  void weightedMeanOfMetrics() {
    double mean =
        FedAvg.weightedMean(
            List.of(new FedAvg.WeightedValue(2.0, 10), new FedAvg.WeightedValue(0.5, 30)));
    assertThat(mean).isCloseTo((20 + 15) / 40.0, within(1e-12));
    assertThat(FedAvg.weightedMean(List.of())).isNaN();
  }
}
