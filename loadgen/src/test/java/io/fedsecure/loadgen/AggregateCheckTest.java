package io.fedsecure.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fedsecure.loadgen.synthetic.SyntheticAggregate;
import io.fedsecure.proto.control.RoundMetrics;
import io.fedsecure.proto.control.RunInfo;
import io.fedsecure.protocol.safetensors.Safetensors;
import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.TensorSpec;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AggregateCheckTest {

  private static final List<NamedTensor> GLOBAL =
      List.of(
          new NamedTensor(
              TensorSpec.float32("conv.weight", new long[] {2, 3}),
              new float[] {0.5f, -1.25f, 3e-3f, 7f, -0.1f, 0f}),
          new NamedTensor(
              TensorSpec.float32("fc.bias", new long[] {2}), new float[] {1.5f, -2.75f}));

  @TempDir Path dir;

  private final Safetensors safetensors = new Safetensors(JsonMapper.builder().build());

  private RunInfo finishedRun(List<NamedTensor> finalModel) throws Exception {
    Path file = dir.resolve("final.safetensors");
    safetensors.write(file, finalModel, Map.of());
    return RunInfo.newBuilder()
        .setFinalModelPath(file.toString())
        .addRounds(RoundMetrics.newBuilder().addTrainNodes("node-1").addTrainNodes("node-3"))
        .build();
  }

  private static GlobalModelWitness witnessOf(List<NamedTensor> global) {
    GlobalModelWitness witness = new GlobalModelWitness();
    witness.accept(global);
    witness.accept(global);
    return witness;
  }

  @Test
  void givenTheSuperLinksModelIsTheSyntheticFedAvgWhenCheckedThenItMatchesWithNoMismatch()
      throws Exception {
    RunInfo run = finishedRun(SyntheticAggregate.expected(GLOBAL, List.of(1, 3)));
    Map<String, Object> result = new HashMap<>();

    assertThat(AggregateCheck.matches(run, witnessOf(GLOBAL), result)).isTrue();
    assertThat(result)
        .containsEntry("aggregate_mismatches", 0L)
        .containsEntry("models_received", 2);
  }

  @Test
  void givenOneValueOffByOneUlpWhenCheckedThenItDoesNotMatchAndCountsOneMismatch()
      throws Exception {
    List<NamedTensor> expected = SyntheticAggregate.expected(GLOBAL, List.of(1, 3));
    float[] bias = expected.get(1).data().clone();
    bias[1] = Math.nextUp(bias[1]);
    RunInfo run =
        finishedRun(List.of(expected.get(0), new NamedTensor(expected.get(1).spec(), bias)));
    Map<String, Object> result = new HashMap<>();

    assertThat(AggregateCheck.matches(run, witnessOf(GLOBAL), result)).isFalse();
    assertThat(result)
        .containsEntry("aggregate_mismatches", 1L)
        .containsKey("aggregate_max_abs_diff");
  }
}
