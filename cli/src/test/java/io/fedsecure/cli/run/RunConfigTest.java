package io.fedsecure.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsecure.cli.CliException;
import io.fedsecure.proto.ConfigValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunConfigTest {

  @TempDir Path app;

  private static ConfigValue i(long v) {
    return ConfigValue.newBuilder().setIntValue(v).build();
  }

  private static ConfigValue d(double v) {
    return ConfigValue.newBuilder().setDoubleValue(v).build();
  }

  @Test
  void pairsAreSpaceSeparatedWithTomlTypedValues() {
    Map<String, ConfigValue> values = RunConfigOverrides.parse(
        List.of("num-server-rounds=3 learning-rate=0.05 tag=\"two words\" verbose=true note='x=y'"));

    assertThat(values).containsExactly(
        Map.entry("num-server-rounds", i(3)),
        Map.entry("learning-rate", d(0.05)),
        Map.entry("tag", ConfigValue.newBuilder().setStringValue("two words").build()),
        Map.entry("verbose", ConfigValue.newBuilder().setBoolValue(true).build()),
        Map.entry("note", ConfigValue.newBuilder().setStringValue("x=y").build()));
  }

  @Test
  void dottedKeysFlattenAsFlowerDoes() {
    assertThat(RunConfigOverrides.parse(List.of("a.b=1"))).containsExactly(Map.entry("a.b", i(1)));
  }

  @Test
  void notAPairOrNotTomlIsRejectedNamingTheFlag() {
    assertThatThrownBy(() -> RunConfigOverrides.parse(List.of("num-server-rounds=3 oops")))
        .isInstanceOf(CliException.class)
        .hasMessageStartingWith("--run-config: 'oops' is not key=value");
    assertThatThrownBy(() -> RunConfigOverrides.parse(List.of("strategy=fedavg")))
        .hasMessage("--run-config: value of strategy is not a TOML value: fedavg (quote strings: strategy=\"fedavg\")");
    assertThatThrownBy(() -> RunConfigOverrides.parse(List.of("xs=[1,2]")))
        .hasMessageContaining("xs").hasMessageContaining("integer, float, string or boolean");
  }

  @Test
  void aTomlFileIsAccepted() throws IOException {
    Path file = Files.writeString(app.resolve("override.toml"), "local-epochs = 2\n");
    assertThat(RunConfigOverrides.parse(List.of(file.toString()))).containsExactly(Map.entry("local-epochs", i(2)));
  }

  @Test
  void overridesOverlayTheAppDefaults() throws IOException {
    Files.writeString(app.resolve("pyproject.toml"), """
        [tool.flwr.app.config]
        num-server-rounds = 3
        fraction-evaluate = 0.5
        learning-rate = 0.01
        batch-size = 32
        """);

    Map<String, ConfigValue> merged = RunConfigOverlay.overlay(
        RunConfigDefaults.read(app),
        RunConfigOverrides.parse(List.of("num-server-rounds=1 learning-rate=1 min-train-nodes=2")));

    assertThat(merged).containsExactly(
        Map.entry("num-server-rounds", i(1)),
        Map.entry("fraction-evaluate", d(0.5)),
        // An integer for a float default is widened, not sent as an integer.
        Map.entry("learning-rate", d(1.0)),
        Map.entry("batch-size", i(32)),
        Map.entry("min-train-nodes", i(2)));
  }

  @Test
  void noPyprojectMeansNoDefaults() {
    assertThat(RunConfigDefaults.read(app)).isEmpty();
  }

  @Test
  void theRepositoryPyprojectHasTheDocumentedDefaults() {
    Path repo = Path.of(System.getProperty("user.dir")).getParent();
    assertThat(RunConfigDefaults.read(repo)).containsExactly(
        Map.entry("num-server-rounds", i(3)),
        Map.entry("fraction-train", d(1.0)),
        Map.entry("fraction-evaluate", d(0.5)),
        Map.entry("local-epochs", i(1)),
        Map.entry("batch-size", i(32)),
        Map.entry("learning-rate", d(0.01)));
  }
}
