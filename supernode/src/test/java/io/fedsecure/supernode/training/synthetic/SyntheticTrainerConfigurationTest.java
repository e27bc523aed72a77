package io.fedsecure.supernode.training.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsecure.protocol.weights.SyntheticLayouts;
import io.fedsecure.supernode.config.NodeConfig;
import io.fedsecure.supernode.config.NodeConfigException;
import io.fedsecure.supernode.training.CifarNet;
import io.fedsecure.supernode.training.LocalTrainer;
import io.fedsecure.supernode.training.TrainingConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class SyntheticTrainerConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withUserConfiguration(TrainingConfiguration.class, SyntheticTrainerConfiguration.class);

  @Test
  void trainerSyntheticSelectsItWithTheNetLayoutAndTheIndexFromTheNodeId() {
    // No dataset-path: the DJL provider is never asked to build anything.
    runner.withBean(NodeConfig.class, () -> NodeConfig.parse("trainer=\"synthetic\" node-id=\"node-7\""))
        .run(context -> {
          assertThat(context).hasNotFailed();
          LocalTrainer trainer = context.getBean(LocalTrainer.class);
          assertThat(trainer).isInstanceOf(SyntheticTrainer.class);
          assertThat(trainer.layout()).isEqualTo(CifarNet.LAYOUT);
          assertThat(trainer.evaluate(CifarNet.initialWeights(1), 8).numExamples())
              .isEqualTo(SyntheticTrainer.numExamples(7));
        });
  }

  @Test
  void anExplicitIndexWinsAndANameWithoutNumberNeedsOne() {
    assertThat(SyntheticTrainerConfiguration.index(
        NodeConfig.parse("node-id=\"node-7\" synthetic-index=12"))).isEqualTo(12);
    runner.withBean(NodeConfig.class, () -> NodeConfig.parse("trainer=\"synthetic\" node-id=\"alpha\""))
        .run(context -> assertThat(context).getFailure().rootCause().isInstanceOf(NodeConfigException.class));
  }

  @Test
  void aModelSizeSelectsTheSharedSyntheticLayoutTheSuperLinkUses() {
    runner.withBean(NodeConfig.class, () -> NodeConfig.parse(
            "trainer=\"synthetic\" node-id=\"node-3\" synthetic-model-size-mb=10"))
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(LocalTrainer.class).layout()).isEqualTo(SyntheticLayouts.ofMegabytes(10));
        });
    runner.withBean(NodeConfig.class, () -> NodeConfig.parse(
            "trainer=\"synthetic\" node-id=\"node-3\" synthetic-model-size-mb=5000"))
        .run(context -> assertThat(context).getFailure().rootCause().isInstanceOf(NodeConfigException.class)
            .hasMessageContaining("synthetic-model-size-mb"));
  }
}
