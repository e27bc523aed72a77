package io.fedsecure.superlink.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsecure.proto.ConfigValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class RunConfigTest {

  static final RunSettings SETTINGS =
      new RunSettings(
          Path.of("runs"),
          Duration.ofSeconds(600),
          Duration.ofSeconds(120),
          Duration.ofSeconds(1),
          1_000_000_000L,
          DataSize.ofMegabytes(16));

  private static ConfigValue i(long v) {
    return ConfigValue.newBuilder().setIntValue(v).build();
  }

  private static ConfigValue d(double v) {
    return ConfigValue.newBuilder().setDoubleValue(v).build();
  }

  @Test
  void defaultsAreFlowers() throws Exception {
    RunConfig c = RunConfig.parse(Map.of(), SETTINGS);
    assertThat(c.numServerRounds()).isEqualTo(3);
    assertThat(c.fractionTrain()).isEqualTo(1.0);
    assertThat(c.fractionEvaluate()).isEqualTo(0.5);
    assertThat(c.learningRate()).isEqualTo(0.01);
    assertThat(c.minTrainNodes()).isEqualTo(2);
    assertThat(c.minAvailableNodes()).isEqualTo(2);
    assertThat(c.roundTimeout()).isEqualTo(Duration.ofSeconds(600));
    assertThat(c.toConfigMap(5)).containsKeys(RunConfig.knownKeys().toArray(String[]::new));
    assertThat(c.nodeConfig()).containsOnlyKeys("local-epochs", "batch-size", "learning-rate");
  }

  @Test
  void overridesApplyAndNumbersAcceptIntegers() throws Exception {
    RunConfig c =
        RunConfig.parse(
            Map.of(
                "num-server-rounds",
                i(5),
                "learning-rate",
                i(1),
                "round-timeout",
                d(0.5),
                "seed",
                i(9)),
            SETTINGS);
    assertThat(c.numServerRounds()).isEqualTo(5);
    assertThat(c.learningRate()).isEqualTo(1.0);
    assertThat(c.roundTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.effectiveSeed(123)).isEqualTo(9);
    assertThat(RunConfig.parse(c.storedMap(), SETTINGS)).isEqualTo(c);
  }

  @Test
  void refusesUnknownKeysWrongTypesAndRanges() {
    assertThatThrownBy(() -> RunConfig.parse(Map.of("num-rounds", i(3)), SETTINGS))
        .isInstanceOf(InvalidRunConfigException.class)
        .hasMessageContaining("'num-rounds'")
        .hasMessageContaining("unknown");
    assertThatThrownBy(() -> RunConfig.parse(Map.of("num-server-rounds", d(2.5)), SETTINGS))
        .hasMessageContaining("'num-server-rounds'")
        .hasMessageContaining("integer");
    assertThatThrownBy(() -> RunConfig.parse(Map.of("fraction-train", d(1.5)), SETTINGS))
        .hasMessageContaining("'fraction-train'");
    assertThatThrownBy(
            () ->
                RunConfig.parse(
                    Map.of("learning-rate", ConfigValue.newBuilder().setStringValue("x").build()),
                    SETTINGS))
        .hasMessageContaining("'learning-rate'")
        .hasMessageContaining("string");
    assertThatThrownBy(() -> RunConfig.parse(Map.of("round-timeout", i(0)), SETTINGS))
        .hasMessageContaining("'round-timeout'");
  }
}
