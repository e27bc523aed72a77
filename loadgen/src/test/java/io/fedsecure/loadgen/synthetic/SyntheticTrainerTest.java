package io.fedsecure.loadgen.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.protocol.weights.TensorSpec;
import io.fedsecure.supernode.training.LocalTrainer.TrainResult;
import io.fedsecure.supernode.training.LocalTrainer.TrainSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SyntheticTrainerTest {

  static final TensorLayout LAYOUT =
      new TensorLayout(
          List.of(TensorSpec.float32("fc.weight", 50, 40), TensorSpec.float32("fc.bias", 50)));
  static final TrainSettings SETTINGS = new TrainSettings(1, 32, 0.01);

  /** Weights as an initialiser and training would leave them, plus the awkward cases. */
  static List<NamedTensor> weights(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<NamedTensor> tensors = new ArrayList<>();
    for (TensorSpec spec : LAYOUT.tensors()) {
      float[] data = new float[(int) spec.elementCount()];
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) ((random.nextDouble() - 0.5) * Math.scalb(1.0, random.nextInt(-12, 4)));
      }
      data[0] = 0f;
      data[1] = -0f;
      data[2] = Float.MIN_VALUE;
      data[3] = -1e-30f;
      data[4] = 1000.5f;
      tensors.add(new NamedTensor(spec, data));
    }
    return tensors;
  }

  @Test
  void sameInputSameOutputBitForBit() {
    List<NamedTensor> global = weights(1);
    TrainResult a = new SyntheticTrainer(LAYOUT, 7, w -> {}).train(global, SETTINGS);
    TrainResult b = new SyntheticTrainer(LAYOUT, 7, w -> {}).train(weights(1), SETTINGS);
    for (int t = 0; t < global.size(); t++) {
      assertThat(a.weights().get(t).data()).containsExactly(b.weights().get(t).data());
    }
    assertThat(a.numExamples())
        .isEqualTo(b.numExamples())
        .isEqualTo(SyntheticTrainer.numExamples(7));
  }

  @Test
  void updateIsTheSnappedWeightPlusTheNodesOffsetExactly() {
    List<NamedTensor> global = weights(2);
    for (int k : new int[] {1, 2, 3, 8, 999, 1000}) {
      TrainResult result = new SyntheticTrainer(LAYOUT, k, w -> {}).train(global, SETTINGS);
      for (int t = 0; t < global.size(); t++) {
        float[] in = global.get(t).data();
        float[] out = result.weights().get(t).data();
        for (int i = 0; i < in.length; i++) {
          double q = SyntheticTrainer.quantum(in[i]);
          double steps = out[i] / q;
          assertThat(steps).isEqualTo(Math.rint(steps));
          assertThat((long) steps)
              .isEqualTo(SyntheticTrainer.steps(in[i]) + SyntheticTrainer.offsetSteps(k));
          assertThat(Math.abs(SyntheticTrainer.steps(in[i])))
              .isLessThanOrEqualTo(1 << SyntheticTrainer.PRECISION_BITS);
          // Close to the original: the change is a few steps of a 10-bit grid.
          assertThat(Math.abs((double) out[i] - in[i])).isLessThanOrEqualTo(9 * q);
        }
      }
    }
  }

  @Test
  void nodesDifferInOffsetAndWeight() {
    assertThat(
            List.of(1, 2, 3, 4, 5, 6, 7, 8).stream()
                .map(SyntheticTrainer::offsetSteps)
                .distinct()
                .count())
        .isEqualTo(8);
    assertThat(List.of(1, 2, 3, 4).stream().map(SyntheticTrainer::numExamples).distinct().count())
        .isEqualTo(4);
  }

  @Test
  void handsTheGlobalModelToTheObserverAndRefusesNonFiniteWeights() {
    List<List<NamedTensor>> seen = new ArrayList<>();
    SyntheticTrainer trainer = new SyntheticTrainer(LAYOUT, 1, seen::add);
    List<NamedTensor> global = weights(3);
    trainer.train(global, SETTINGS);
    assertThat(seen).containsExactly(global);

    global.get(1).data()[0] = Float.NaN;
    assertThatThrownBy(() -> trainer.train(global, SETTINGS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SyntheticTrainer(LAYOUT, 0, w -> {}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
