package io.fedsecure.protocol.weights;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TensorLayoutProtoTest {

  @Test
  void givenFlowersNet_whenItGoesToTheWireAndBack_thenTheLayoutAndItsDigestAreUnchanged() {
    TensorLayout back = TensorLayout.fromProto(FlowerNetLayout.LAYOUT.toProto());

    assertThat(back).isEqualTo(FlowerNetLayout.LAYOUT);
    assertThat(back.digest()).isEqualTo(FlowerNetLayout.LAYOUT.digest());
    assertThat(FlowerNetLayout.LAYOUT.toProto().getTensors(0).getName()).isEqualTo("conv1.weight");
  }
}
