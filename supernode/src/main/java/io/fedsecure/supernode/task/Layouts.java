package io.fedsecure.supernode.task;

import io.fedsecure.crypto.weights.TensorLayout;
import io.fedsecure.crypto.weights.TensorSpec;
import java.util.List;
import java.util.Optional;

/** Wire layouts to common-crypto layouts, and what differs between two of them. */
public final class Layouts {

  private Layouts() {}

  public static TensorLayout fromProto(io.fedsecure.proto.TensorLayout layout) {
    return new TensorLayout(layout.getTensorsList().stream()
        .map(t -> new TensorSpec(t.getName(), t.getShapeList().stream().mapToLong(Long::longValue).toArray(), t.getDtype()))
        .toList());
  }

  public static io.fedsecure.proto.TensorLayout toProto(TensorLayout layout) {
    io.fedsecure.proto.TensorLayout.Builder builder = io.fedsecure.proto.TensorLayout.newBuilder();
    for (TensorSpec spec : layout.tensors()) {
      io.fedsecure.proto.TensorSpec.Builder t = io.fedsecure.proto.TensorSpec.newBuilder()
          .setName(spec.name()).setDtype(spec.dtype());
      for (long d : spec.shape()) {
        t.addShape(d);
      }
      builder.addTensors(t);
    }
    return builder.build();
  }

  /** The first difference between what the SuperLink sent and the node's own model. */
  static Optional<String> firstDifference(TensorLayout received, TensorLayout own) {
    List<TensorSpec> r = received.tensors();
    List<TensorSpec> o = own.tensors();
    for (int i = 0; i < Math.min(r.size(), o.size()); i++) {
      if (!r.get(i).equals(o.get(i))) {
        return Optional.of("tensor " + i + " differs: the SuperLink sends " + r.get(i)
            + ", this node's model has " + o.get(i));
      }
    }
    if (r.size() != o.size()) {
      String first = r.size() > o.size()
          ? "first extra tensor sent: " + r.get(o.size()) : "first tensor missing: " + o.get(r.size());
      return Optional.of("the SuperLink sends " + r.size() + " tensors, this node's model has " + o.size()
          + " (" + first + ")");
    }
    return Optional.empty();
  }
}
