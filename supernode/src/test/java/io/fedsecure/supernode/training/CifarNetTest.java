package io.fedsecure.supernode.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.TensorSpec;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CifarNetTest {

  private Model model;

  @BeforeEach
  void newModel() {
    model = Model.newInstance("test", "PyTorch");
    model.setBlock(CifarNet.newBlock());
    model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, CifarNet.inputShape(2));
  }

  @AfterEach
  void close() {
    model.close();
  }

  @Test
  void layoutIsPyTorchStateDictOfFlowersNet() {
    assertThat(CifarNet.LAYOUT.tensors())
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
    assertThat(CifarNet.LAYOUT.tensors().get(0).shape()).containsExactly(6, 3, 5, 5);
    assertThat(CifarNet.LAYOUT.tensors().get(4).shape()).containsExactly(120, 400);
    assertThat(CifarNet.LAYOUT.parameterCount()).isEqualTo(62_006);
  }

  @Test
  void djlBlockHasExactlyTheLayoutsParametersInOrder() {
    Block block = model.getBlock();
    long count =
        block.getParameters().stream().mapToLong(p -> p.getValue().getArray().size()).sum();
    assertThat(count).isEqualTo(62_006);
    List<long[]> shapes =
        block.getParameters().stream()
            .map(p -> p.getValue().getArray().getShape().getShape())
            .toList();
    assertThat(shapes)
        .containsExactlyElementsOf(
            CifarNet.LAYOUT.tensors().stream().map(TensorSpec::shape).toList());
    // bind() itself checks kinds and shapes; it must accept the real block.
    NetParameters.bind(block, CifarNet.LAYOUT);
  }

  @Test
  void forwardMapsImagesToTenLogits() {
    NDManager manager = model.getNDManager();
    NDList out =
        model
            .getBlock()
            .forward(
                new ParameterStore(manager, false),
                new NDList(manager.randomNormal(CifarNet.inputShape(4))),
                false);
    assertThat(out.singletonOrThrow().getShape()).isEqualTo(new Shape(4, 10));
  }

  @Test
  void weightsSetThenReadBackUnchanged() {
    List<NamedTensor> weights = CifarNet.initialWeights(3);
    NetParameters parameters = NetParameters.bind(model.getBlock(), CifarNet.LAYOUT);
    parameters.load(weights);
    List<NamedTensor> back = parameters.read();
    assertThat(back).hasSize(10);
    for (int i = 0; i < weights.size(); i++) {
      assertThat(back.get(i).spec()).isEqualTo(weights.get(i).spec());
      assertThat(back.get(i).data())
          .isEqualTo(weights.get(i).data())
          .isNotSameAs(weights.get(i).data());
    }
  }

  @Test
  void initialWeightsFollowPyTorchsDefaultBounds() {
    List<NamedTensor> weights = CifarNet.initialWeights(1);
    float fc1Bound = (float) (1 / Math.sqrt(400));
    float max = 0;
    for (float v : weights.get(4).data()) {
      max = Math.max(max, Math.abs(v));
    }
    for (float v : weights.get(5).data()) {
      assertThat(Math.abs(v)).isLessThanOrEqualTo(fc1Bound);
    }
    assertThat(max).isLessThanOrEqualTo(fc1Bound);
    assertThat(max).isGreaterThan(fc1Bound * 0.9f);
    assertThat(CifarNet.initialWeights(1).get(0).data()).isEqualTo(weights.get(0).data());
  }

  @Test
  void refusesWeightsOfAnotherLayout() {
    NetParameters parameters = NetParameters.bind(model.getBlock(), CifarNet.LAYOUT);
    List<NamedTensor> weights = new java.util.ArrayList<>(CifarNet.initialWeights(1));
    weights.set(4, new NamedTensor(TensorSpec.float32("fc1.weight", 400, 120), new float[48_000]));
    assertThatThrownBy(() -> parameters.load(weights))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fc1.weight[400, 120]");
    assertThatThrownBy(() -> parameters.load(weights.subList(0, 9)))
        .hasMessageContaining("expected 10 tensors");
  }
}
