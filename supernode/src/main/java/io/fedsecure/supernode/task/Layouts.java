package io.fedsecure.supernode.task;

import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.protocol.weights.TensorSpec;
import java.util.List;
import java.util.Optional;

/** What differs between the layout the SuperLink sends and this node's own. */
final class Layouts {

  private Layouts() {}

  /** The first difference between what the SuperLink sent and the node's own model. */
  static Optional<String> firstDifference(TensorLayout received, TensorLayout own) {
    List<TensorSpec> r = received.tensors();
    List<TensorSpec> o = own.tensors();
    for (int i = 0; i < Math.min(r.size(), o.size()); i++) {
      if (!r.get(i).equals(o.get(i))) {
        return Optional.of(
            "tensor "
                + i
                + " differs: the SuperLink sends "
                + r.get(i)
                + ", this node's model has "
                + o.get(i));
      }
    }
    if (r.size() != o.size()) {
      String first =
          r.size() > o.size()
              ? "first extra tensor sent: " + r.get(o.size())
              : "first tensor missing: " + o.get(r.size());
      return Optional.of(
          "the SuperLink sends "
              + r.size()
              + " tensors, this node's model has "
              + o.size()
              + " ("
              + first
              + ")");
    }
    return Optional.empty();
  }
}
