package io.fedsecure.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsecure.cli.CliException;
import io.fedsecure.cli.config.ConfigException;
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
  void givenRunConfigTheSharedSyntaxCannotRead_whenParsed_thenItIsAUsageErrorNamingTheFlag() {
    assertThatThrownBy(() -> RunConfigOverrides.parse(List.of("num-server-rounds=3 oops")))
        .isInstanceOf(CliException.class)
        .hasMessageStartingWith("--run-config: 'oops' is not key=value")
        .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(2));
    assertThatThrownBy(() -> RunConfigOverrides.parse(List.of("xs=[1,2]")))
        .hasMessage("--run-config: value of xs must be an integer, float, string or boolean");
  }

  @Test
  void givenNoRunConfig_whenParsed_thenThereAreNoOverrides() {
    assertThat(RunConfigOverrides.parse(null)).isEmpty();
  }

  @Test
  void givenADefaultAConfigRecordCannotHold_whenRead_thenTheErrorNamesThePyprojectTable()
      throws IOException {
    Path pyproject =
        Files.writeString(
            app.resolve("pyproject.toml"),
            """
        [tool.flwr.app.config]
        layers = [1, 2]
        """);

    assertThatThrownBy(() -> RunConfigDefaults.read(app))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            pyproject
                + " [tool.flwr.app.config]: value of layers must be an integer, float, string or boolean");
  }

  @Test
  void overridesOverlayTheAppDefaults() throws IOException {
    Files.writeString(
        app.resolve("pyproject.toml"),
        """
        [tool.flwr.app.config]
        num-server-rounds = 3
        fraction-evaluate = 0.5
        learning-rate = 0.01
        batch-size = 32
        """);

    Map<String, ConfigValue> merged =
        RunConfigOverlay.overlay(
            RunConfigDefaults.read(app),
            RunConfigOverrides.parse(
                List.of("num-server-rounds=1 learning-rate=1 min-train-nodes=2")));

    assertThat(merged)
        .containsExactly(
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
    assertThat(RunConfigDefaults.read(repo))
        .containsExactly(
            Map.entry("num-server-rounds", i(3)),
            Map.entry("fraction-train", d(1.0)),
            Map.entry("fraction-evaluate", d(0.5)),
            Map.entry("local-epochs", i(1)),
            Map.entry("batch-size", i(32)),
            Map.entry("learning-rate", d(0.01)));
  }
}
