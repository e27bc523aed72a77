package io.fedsecure.superlink.strategy;

import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.protocol.weights.TensorSpec;
import java.util.ArrayList;
import java.util.List;

/** Federated averaging arithmetic (McMahan et al.): means weighted by each node's example count. */
public final class FedAvg {

  private FedAvg() {}

  /** A model (in the expected layout) and the number of examples it was trained on. */
  public record WeightedModel(List<NamedTensor> tensors, long numExamples) {}

  /** A scalar metric and the number of examples behind it. */
  public record WeightedValue(double value, long numExamples) {}

  /**
   * Sum(n_i * w_i) / Sum(n_i) per parameter. Accumulated in double so that many nodes with large
   * example counts do not lose float32 precision before the final rounding.
   */
  public static List<NamedTensor> weightedAverage(TensorLayout layout, List<WeightedModel> models) {
    if (models.isEmpty()) {
      throw new IllegalArgumentException("nothing to average");
    }
    double total = 0;
    for (WeightedModel m : models) {
      if (m.numExamples() <= 0) {
        throw new IllegalArgumentException("num_examples must be positive, got " + m.numExamples());
      }
      if (m.tensors().size() != layout.tensors().size()) {
        throw new IllegalArgumentException(
            "model has " + m.tensors().size() + " tensors, layout has " + layout.tensors().size());
      }
      total += m.numExamples();
    }
    List<NamedTensor> result = new ArrayList<>(layout.tensors().size());
    for (int t = 0; t < layout.tensors().size(); t++) {
      TensorSpec spec = layout.tensors().get(t);
      double[] sum = new double[Math.toIntExact(spec.elementCount())];
      for (WeightedModel m : models) {
        NamedTensor tensor = m.tensors().get(t);
        if (!tensor.spec().equals(spec)) {
          throw new IllegalArgumentException(
              "tensor " + t + " is " + tensor.spec() + ", expected " + spec);
        }
        double weight = m.numExamples();
        float[] data = tensor.data();
        for (int i = 0; i < data.length; i++) {
          sum[i] += weight * data[i];
        }
      }
      float[] mean = new float[sum.length];
      for (int i = 0; i < sum.length; i++) {
        mean[i] = (float) (sum[i] / total);
      }
      result.add(new NamedTensor(spec, mean));
    }
    return List.copyOf(result);
  }

  /** Example-weighted mean; NaN when there is nothing to average. */
  public static double weightedMean(List<WeightedValue> values) {
    double sum = 0;
    double total = 0;
    for (WeightedValue v : values) {
      sum += v.value() * v.numExamples();
      total += v.numExamples();
    }
    return total == 0 ? Double.NaN : sum / total;
  }
}
