package io.fedsecure.protocol.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SyntheticLayoutsTest {

  @Test
  void hundredMegabytesIsTwentyFiveFullLayers() {
    TensorLayout layout = SyntheticLayouts.ofMegabytes(100);

    assertThat(layout.tensors()).hasSize(25);
    assertThat(layout.tensors()).allSatisfy(t -> assertThat(t.shape()).containsExactly(1000, 1000));
    assertThat(layout.tensors().get(0).name()).isEqualTo("synthetic0.weight");
    assertThat(layout.tensors().get(24).name()).isEqualTo("synthetic24.weight");
    assertThat(SyntheticLayouts.parameterBytes(layout)).isEqualTo(100_000_000L);
  }

  @Test
  void sizesThatAreNotWholeLayersEndWithAShorterOne() {
    TensorLayout layout = SyntheticLayouts.ofMegabytes(10);

    // 10 MB = 2,500 rows of 1,000 floats: two full layers and one of 500 rows.
    assertThat(layout.tensors()).extracting(t -> t.shape()[0]).containsExactly(1000L, 1000L, 500L);
    assertThat(SyntheticLayouts.parameterBytes(layout)).isEqualTo(10_000_000L);
    assertThat(SyntheticLayouts.ofMegabytes(1).tensors()).hasSize(1);
    assertThat(SyntheticLayouts.ofMegabytes(1).tensors().get(0).shape()).containsExactly(250, 1000);
  }

  @Test
  void bothSidesBuildingTheSameSizeAgreeOnTheDigest() {
    // The envelope's associated data carries the digest: equal layouts must digest equally,
    // different sizes not.
    assertThat(SyntheticLayouts.ofMegabytes(100).digest())
        .isEqualTo(SyntheticLayouts.ofMegabytes(100).digest());
    assertThat(SyntheticLayouts.ofMegabytes(100).digest())
        .isNotEqualTo(SyntheticLayouts.ofMegabytes(99).digest());
  }

  @Test
  void refusesSizesOutsideTheSupportedRange() {
    assertThatThrownBy(() -> SyntheticLayouts.ofMegabytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 0 MB");
    assertThatThrownBy(() -> SyntheticLayouts.ofMegabytes(-5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SyntheticLayouts.ofMegabytes(SyntheticLayouts.MAX_MEGABYTES + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
