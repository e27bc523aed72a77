package io.fedsecure.superlink.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsecure.protocol.weights.NamedTensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelInitializerTest {

  @Test
  void everyValueLiesWithinPyTorchsDefaultBoundAndSpreadsOverIt() {
    List<NamedTensor> model = ModelInitializer.initialise(NetLayout.LAYOUT, 42);
    assertThat(model).hasSize(10);
    for (NamedTensor t : model) {
      float bound = (float) (1.0 / Math.sqrt(NetLayout.fanIn(NetLayout.LAYOUT, t.spec())));
      float min = Float.MAX_VALUE;
      float max = -Float.MAX_VALUE;
      double sumSquares = 0;
      for (float v : t.data()) {
        assertThat(v).as(t.name()).isBetween(-bound, bound);
        min = Math.min(min, v);
        max = Math.max(max, v);
        sumSquares += (double) v * v;
      }
      assertThat(max).as(t.name() + " not all equal").isGreaterThan(min);
      if (t.data().length >= 1000) {
        // U(-b, b) has variance b^2/3; also catches a bound that is off by a constant factor.
        double variance = sumSquares / t.data().length;
        assertThat(variance)
            .as(t.name())
            .isBetween(0.9 * bound * bound / 3, 1.1 * bound * bound / 3);
        assertThat(max).isGreaterThan(0.95f * bound);
        assertThat(min).isLessThan(-0.95f * bound);
      }
    }
  }

  @Test
  void sameSeedSameModelOtherSeedOtherModel() {
    List<NamedTensor> a = ModelInitializer.initialise(NetLayout.LAYOUT, 7);
    List<NamedTensor> b = ModelInitializer.initialise(NetLayout.LAYOUT, 7);
    List<NamedTensor> c = ModelInitializer.initialise(NetLayout.LAYOUT, 8);
    for (int i = 0; i < a.size(); i++) {
      assertThat(b.get(i).data()).isEqualTo(a.get(i).data());
      assertThat(c.get(i).data()).isNotEqualTo(a.get(i).data());
    }
  }

  @Test
  void defaultSeedDiffersPerRunAndIsStable() {
    assertThat(ModelInitializer.defaultSeed(1)).isEqualTo(ModelInitializer.defaultSeed(1));
    assertThat(ModelInitializer.defaultSeed(1)).isNotEqualTo(ModelInitializer.defaultSeed(2));
  }
}
