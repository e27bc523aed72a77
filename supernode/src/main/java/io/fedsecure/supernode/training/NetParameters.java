package io.fedsecure.supernode.training;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.protocol.weights.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Binds an initialised DJL block's parameters to PyTorch state-dict names. DJL names them after its
 * block path ("01Conv2d_weight", ...) in the same depth-first order PyTorch uses, so the binding
 * goes by position, checked by each parameter's kind (weight/bias) and shape.
 */
final class NetParameters {

  private final TensorLayout layout;
  private final List<Parameter> parameters;

  private NetParameters(TensorLayout layout, List<Parameter> parameters) {
    this.layout = layout;
    this.parameters = parameters;
  }

  static NetParameters bind(Block block, TensorLayout layout) {
    List<Pair<String, Parameter>> djl = block.getParameters().stream().toList();
    List<TensorSpec> specs = layout.tensors();
    if (djl.size() != specs.size()) {
      throw new IllegalStateException(
          "the DJL block has " + djl.size() + " parameters, the layout " + specs.size());
    }
    List<Parameter> bound = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      TensorSpec spec = specs.get(i);
      Parameter p = djl.get(i).getValue();
      String kind = spec.name().substring(spec.name().lastIndexOf('.') + 1);
      if (!p.getName().equals(kind)
          || !Arrays.equals(p.getArray().getShape().getShape(), spec.shape())) {
        throw new IllegalStateException(
            "DJL parameter "
                + djl.get(i).getKey()
                + " "
                + p.getArray().getShape()
                + " does not match "
                + spec);
      }
      bound.add(p);
    }
    return new NetParameters(layout, List.copyOf(bound));
  }

  /** Copies {@code weights} (in layout order, names and shapes checked) into the block. */
  void load(List<NamedTensor> weights) {
    layout.check(weights);
    for (int i = 0; i < weights.size(); i++) {
      parameters.get(i).getArray().set(weights.get(i).data());
    }
  }

  /** The block's current values, as fresh arrays in layout order. */
  List<NamedTensor> read() {
    List<NamedTensor> out = new ArrayList<>(parameters.size());
    for (int i = 0; i < parameters.size(); i++) {
      NDArray array = parameters.get(i).getArray();
      out.add(new NamedTensor(layout.tensors().get(i), array.toFloatArray()));
    }
    return out;
  }
}
