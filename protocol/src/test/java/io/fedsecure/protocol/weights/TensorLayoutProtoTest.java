package io.fedsecure.protocol.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TensorLayoutProtoTest {

  @Test
  void givenFlowersNet_whenItGoesToTheWireAndBack_thenTheLayoutAndItsDigestAreUnchanged() {
    TensorLayout back = TensorLayout.fromProto(FlowerNetLayout.LAYOUT.toProto());

    assertThat(back).isEqualTo(FlowerNetLayout.LAYOUT);
    assertThat(back.digest()).isEqualTo(FlowerNetLayout.LAYOUT.digest());
    assertThat(FlowerNetLayout.LAYOUT.toProto().getTensors(0).getName()).isEqualTo("conv1.weight");
  }

  @Test
  void givenWeightsThatAreNotTheLayoutsTensors_whenChecked_thenTheFirstDifferenceIsNamed() {
    TensorLayout layout =
        new TensorLayout(List.of(TensorSpec.float32("a", 2), TensorSpec.float32("b", 1, 2)));
    NamedTensor a = new NamedTensor(TensorSpec.float32("a", 2), new float[2]);
    NamedTensor wrongB = new NamedTensor(TensorSpec.float32("b", 2, 1), new float[2]);

    assertThatThrownBy(() -> layout.check(List.of(a)))
        .hasMessage("expected 2 tensors (a .. b), got 1");
    assertThatThrownBy(() -> layout.check(List.of(a, wrongB)))
        .hasMessageStartingWith("tensor 1 is ");
    layout.check(List.of(a, new NamedTensor(TensorSpec.float32("b", 1, 2), new float[2])));
  }
}
