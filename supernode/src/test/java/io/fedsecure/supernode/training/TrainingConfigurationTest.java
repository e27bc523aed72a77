package io.fedsecure.supernode.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.supernode.NodeStartupException;
import io.fedsecure.supernode.config.NodeConfig;
import io.fedsecure.supernode.data.SyntheticCifar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class TrainingConfigurationTest {

  @TempDir Path dir;

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withUserConfiguration(TrainingConfiguration.class);

  @Test
  void buildsTheDjlTrainerFromNodeConfigByDefault() throws Exception {
    Path partition = SyntheticCifar.partition(dir.resolve("cifar10_part_1"), 40, 10, 3);
    runner
        .withBean(
            NodeConfig.class,
            () -> NodeConfig.parse("dataset-path='" + partition + "' num-threads=1"))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              LocalTrainer trainer = context.getBean(LocalTrainer.class);
              assertThat(trainer).isInstanceOf(DjlTrainer.class);
              assertThat(trainer.layout()).isEqualTo(CifarNet.LAYOUT);
              assertThat(trainer.evaluate(CifarNet.initialWeights(1), 8).numExamples())
                  .isEqualTo(10);
            });
  }

  @Test
  void missingPartitionStopsStartupNamingTheDirectory() {
    Path missing = dir.resolve("nowhere");
    runner
        .withBean(NodeConfig.class, () -> NodeConfig.parse("dataset-path='" + missing + "'"))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(NodeStartupException.class)
                    .hasMessageContaining(missing.toString()));
  }

  @Test
  void corruptPartitionStopsStartupNamingTheFile() throws Exception {
    Path partition = SyntheticCifar.partition(dir.resolve("p"), 4, 2, 3);
    Files.write(partition.resolve("train.bin"), new byte[3074]);
    runner
        .withBean(NodeConfig.class, () -> NodeConfig.parse("dataset-path='" + partition + "'"))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining(partition.resolve("train.bin").toString()));
  }

  @Test
  void anotherProviderIsChosenByNameAndTheDjlOneIsNeverBuilt() {
    LocalTrainer stub =
        new LocalTrainer() {
          @Override
          public TensorLayout layout() {
            return CifarNet.LAYOUT;
          }

          @Override
          public TrainResult train(List<NamedTensor> weights, TrainSettings settings) {
            throw new UnsupportedOperationException();
          }

          @Override
          public EvalResult evaluate(List<NamedTensor> weights, int batchSize) {
            throw new UnsupportedOperationException();
          }
        };
    // No dataset-path at all: building the DJL trainer would fail.
    runner
        .withBean(NodeConfig.class, () -> NodeConfig.parse("trainer=\"synthetic\""))
        .withBean(
            "syntheticProvider",
            TrainerProvider.class,
            () ->
                new TrainerProvider() {
                  @Override
                  public String name() {
                    return "synthetic";
                  }

                  @Override
                  public LocalTrainer create(NodeConfig config) {
                    return stub;
                  }
                })
        .run(context -> assertThat(context.getBean(LocalTrainer.class)).isSameAs(stub));
  }

  @Test
  void unknownTrainerIsAStartupErrorListingTheKnownOnes() {
    runner
        .withBean(NodeConfig.class, () -> NodeConfig.parse("trainer=\"tensorflow\""))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(NodeStartupException.class)
                    .hasMessageContaining("trainer=\"tensorflow\"")
                    .hasMessageContaining("[djl]"));
  }
}
