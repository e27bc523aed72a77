package io.fedsecure.superlink.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsecure.protocol.weights.TensorSpec;
import org.junit.jupiter.api.Test;

class NetLayoutTest {

  @Test
  void hasFlowersNetParameterCountNamesAndOrder() {
    assertThat(NetLayout.LAYOUT.parameterCount()).isEqualTo(62_006);
    assertThat(NetLayout.LAYOUT.tensors())
        .extracting(TensorSpec::name)
        .containsExactly(
            "conv1.weight",
            "conv1.bias",
            "conv2.weight",
            "conv2.bias",
            "fc1.weight",
            "fc1.bias",
            "fc2.weight",
            "fc2.bias",
            "fc3.weight",
            "fc3.bias");
    assertThat(NetLayout.LAYOUT.tensors().get(0).shape()).containsExactly(6, 3, 5, 5);
    assertThat(NetLayout.LAYOUT.tensors().get(4).shape()).containsExactly(120, 400);
    assertThat(NetLayout.LAYOUT.tensors()).extracting(TensorSpec::dtype).containsOnly("float32");
  }

  @Test
  void fanInFollowsPyTorchIncludingBiasesOfTheirLayer() {
    assertThat(fanIn("conv1.weight")).isEqualTo(3 * 5 * 5);
    assertThat(fanIn("conv1.bias")).isEqualTo(3 * 5 * 5);
    assertThat(fanIn("conv2.bias")).isEqualTo(6 * 5 * 5);
    assertThat(fanIn("fc1.weight")).isEqualTo(400);
    assertThat(fanIn("fc3.bias")).isEqualTo(84);
  }

  private static long fanIn(String name) {
    TensorSpec spec =
        NetLayout.LAYOUT.tensors().stream()
            .filter(t -> t.name().equals(name))
            .findFirst()
            .orElseThrow();
    return NetLayout.fanIn(NetLayout.LAYOUT, spec);
  }
}
