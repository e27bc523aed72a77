package io.fedsecure.supernode.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.supernode.data.PartitionLoader;
import io.fedsecure.supernode.data.SyntheticCifar;
import io.fedsecure.supernode.training.LocalTrainer.EvalResult;
import io.fedsecure.supernode.training.LocalTrainer.TrainResult;
import io.fedsecure.supernode.training.LocalTrainer.TrainSettings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DjlTrainerTest {

  private DjlTrainer trainer;

  @BeforeAll
  void partition(@TempDir Path dir) throws Exception {
    SyntheticCifar.partition(dir.resolve("part"), 256, 100, 11);
    trainer = new DjlTrainer(PartitionLoader.load(dir.resolve("part")), 5, 1);
  }

  @AfterAll
  void close() {
    trainer.close();
  }

  @Test
  void fewEpochsOnLearnableDataLowerTheLossAndRaiseAccuracy() {
    List<NamedTensor> initial = CifarNet.initialWeights(42);
    float[] conv1Before = initial.get(0).data().clone();
    EvalResult before = trainer.evaluate(initial, 64);

    TrainResult result = trainer.train(initial, new TrainSettings(5, 16, 0.05));

    assertThat(result.numExamples()).isEqualTo(256);
    assertThat(result.seconds()).isPositive();
    assertThat(result.meanLoss()).isFinite().isPositive();
    assertThat(result.weights())
        .extracting(NamedTensor::spec)
        .containsExactlyElementsOf(CifarNet.LAYOUT.tensors());
    assertThat(result.weights().get(0).data()).isNotEqualTo(conv1Before);
    assertThat(initial.get(0).data()).as("input weights untouched").isEqualTo(conv1Before);

    EvalResult after = trainer.evaluate(result.weights(), 64);
    assertThat(after.loss())
        .as("loss %s -> %s", before.loss(), after.loss())
        .isLessThan(before.loss() * 0.7);
    assertThat(after.accuracy())
        .as("accuracy %s -> %s", before.accuracy(), after.accuracy())
        .isGreaterThan(before.accuracy())
        .isGreaterThan(0.5);
  }

  @Test
  void evaluateCoversTheWholeTestSplit() {
    EvalResult result = trainer.evaluate(CifarNet.initialWeights(1), 32); // 100 = 3 x 32 + 4
    assertThat(result.numExamples()).isEqualTo(100);
    assertThat(result.accuracy()).isBetween(0.0, 1.0);
    assertThat(result.loss()).isFinite().isPositive();
    // Same weights, another batching: same answer.
    EvalResult whole = trainer.evaluate(CifarNet.initialWeights(1), 1000);
    assertThat(whole.accuracy()).isEqualTo(result.accuracy());
    assertThat(whole.loss()).isCloseTo(result.loss(), org.assertj.core.data.Offset.offset(1e-4));
  }

  @Test
  void divergingTrainingFailsInsteadOfReturningNaNWeights() {
    assertThatThrownBy(
            () -> trainer.train(CifarNet.initialWeights(2), new TrainSettings(1, 32, 1e9)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("diverged");
  }

  @Test
  void refusesBadSettingsAndForeignWeights() {
    assertThatThrownBy(
            () -> trainer.train(CifarNet.initialWeights(1), new TrainSettings(0, 32, 0.01)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("local-epochs");
    assertThatThrownBy(
            () ->
                trainer.train(
                    CifarNet.initialWeights(1).subList(0, 2), new TrainSettings(1, 32, 0.01)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 10 tensors");
  }
}
