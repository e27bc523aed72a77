package io.fedsecure.loadgen.synthetic;

import io.fedsecure.protocol.weights.NamedTensor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The FedAvg of the synthetic updates of a set of nodes, as the SuperLink must compute it: {@code
 * (float) (sum / total)} with sum = Sum n_k * w_k and total = Sum n_k. The sum is done here in
 * integer grid steps; the SuperLink's float or double sum of the same values is exact too (see
 * {@link SyntheticTrainer}), so both hold the same number before the one division.
 */
public final class SyntheticAggregate {

  private SyntheticAggregate() {}

  public static List<NamedTensor> expected(List<NamedTensor> global, Collection<Integer> indices) {
    if (indices.isEmpty()) {
      throw new IllegalArgumentException("no nodes to average");
    }
    if (indices.size() > SyntheticTrainer.MAX_NODES) {
      throw new IllegalArgumentException(
          "the synthetic aggregate is exact for at most "
              + SyntheticTrainer.MAX_NODES
              + " nodes, got "
              + indices.size());
    }
    long total = 0;
    long weightedOffsets = 0;
    for (int k : indices) {
      long n = SyntheticTrainer.numExamples(k);
      total += n;
      weightedOffsets += n * SyntheticTrainer.offsetSteps(k);
    }
    List<NamedTensor> result = new ArrayList<>(global.size());
    for (NamedTensor tensor : global) {
      float[] in = tensor.data();
      float[] out = new float[in.length];
      for (int i = 0; i < in.length; i++) {
        long sumSteps = total * SyntheticTrainer.steps(in[i]) + weightedOffsets;
        double sum = sumSteps * SyntheticTrainer.quantum(in[i]);
        out[i] = (float) (sum / (double) total);
      }
      result.add(new NamedTensor(tensor.spec(), out));
    }
    return result;
  }
}
