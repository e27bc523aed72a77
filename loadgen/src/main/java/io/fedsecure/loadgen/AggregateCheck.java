package io.fedsecure.loadgen;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fedsecure.loadgen.synthetic.SyntheticAggregate;
import io.fedsecure.proto.control.RunInfo;
import io.fedsecure.protocol.safetensors.Safetensors;
import io.fedsecure.protocol.weights.NamedTensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The load generator's check of a finished one-round run's aggregate. */
final class AggregateCheck {

  private AggregateCheck() {}

  /** Compares the SuperLink's final model with the FedAvg of the synthetic updates, bit for bit. */
  static boolean matches(RunInfo run, GlobalModelWitness witness, Map<String, Object> result)
      throws IOException {
    List<NamedTensor> global = witness.model();
    result.put("models_received", witness.seen());
    result.put("models_different", witness.different());
    if (global == null || witness.different() > 0 || run.getFinalModelPath().isEmpty()) {
      return false;
    }
    List<Integer> indices =
        run.getRounds(0).getTrainNodesList().stream()
            .map(name -> Integer.parseInt(name.substring(name.lastIndexOf('-') + 1)))
            .toList();
    List<NamedTensor> expected = SyntheticAggregate.expected(global, indices);
    Map<String, float[]> actual =
        new Safetensors(JsonMapper.builder().build())
            .read(Path.of(run.getFinalModelPath())).tensors().stream()
                .collect(Collectors.toMap(NamedTensor::name, NamedTensor::data));
    long mismatches = 0;
    double maxDiff = 0;
    for (NamedTensor tensor : expected) {
      float[] got = actual.get(tensor.name());
      if (got == null || got.length != tensor.data().length) {
        mismatches += tensor.data().length;
        continue;
      }
      for (int i = 0; i < got.length; i++) {
        if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(tensor.data()[i])) {
          mismatches++;
          maxDiff = Math.max(maxDiff, Math.abs((double) got[i] - tensor.data()[i]));
        }
      }
    }
    result.put("aggregate_mismatches", mismatches);
    if (mismatches > 0) {
      result.put("aggregate_max_abs_diff", maxDiff);
    }
    return mismatches == 0 && actual.size() == expected.size();
  }
}
