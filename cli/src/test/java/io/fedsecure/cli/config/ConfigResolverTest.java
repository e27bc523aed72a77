package io.fedsecure.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsecure.cli.CliHarness;
import io.fedsecure.cli.http.ConnectionConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigResolverTest {

  private static final String PYPROJECT =
      """
      [project]
      name = "app"
      version = "1.0.0"

      [tool.flwr.federations]
      default = "my-federation"

      [tool.flwr.federations.my-federation]
      address = "127.0.0.1:9093"
      root-certificates = "certificates/ca.crt"
      operator-certfile = "certificates/operator.pem"
      operator-keyfile = "certificates/operator.key"

      [tool.flwr.federations.remote]
      address = "superlink.example.org:9093"
      root-certificates = "/etc/fed/ca.crt"
      operator-certfile = "ops/op.pem"
      operator-keyfile = "ops/op.key"
      """;

  @TempDir Path temp;
  Path app;
  Path home;

  @BeforeEach
  void dirs() throws IOException {
    app = Files.createDirectories(temp.resolve("app"));
    home = Files.createDirectories(temp.resolve("home"));
  }

  private ConnectionConfig resolve(String federation, ConnectionOptions flags) {
    return new ConfigResolver(home).resolve(app, federation, flags);
  }

  @Test
  void defaultFederationFromPyprojectWithPathsRelativeToTheAppDir() throws IOException {
    Files.writeString(app.resolve("pyproject.toml"), PYPROJECT);

    ConnectionConfig config = resolve(null, new ConnectionOptions());

    assertThat(config.federation()).isEqualTo("my-federation");
    assertThat(config.address()).isEqualTo("127.0.0.1:9093");
    assertThat(config.rootCertificates()).isEqualTo(app.resolve("certificates/ca.crt"));
    assertThat(config.operatorCertfile()).isEqualTo(app.resolve("certificates/operator.pem"));
    assertThat(config.operatorKeyfile()).isEqualTo(app.resolve("certificates/operator.key"));
  }

  @Test
  void namedFederationIsChosenAndAbsolutePathsKept() throws IOException {
    Files.writeString(app.resolve("pyproject.toml"), PYPROJECT);

    ConnectionConfig config = resolve("remote", new ConnectionOptions());

    assertThat(config.address()).isEqualTo("superlink.example.org:9093");
    assertThat(config.rootCertificates()).isEqualTo(Path.of("/etc/fed/ca.crt"));
    assertThat(config.operatorKeyfile()).isEqualTo(app.resolve("ops/op.key"));
  }

  @Test
  void flagsOverrideTheFile() throws IOException {
    Files.writeString(app.resolve("pyproject.toml"), PYPROJECT);
    ConnectionOptions flags = new ConnectionOptions();
    flags.superlinkAddress = "[::1]:19093";
    flags.operatorKeyfile = Path.of("elsewhere/op.key");

    ConnectionConfig config = resolve("my-federation", flags);

    assertThat(config.address()).isEqualTo("[::1]:19093");
    assertThat(config.operatorKeyfile()).isEqualTo(Path.of("elsewhere/op.key"));
    assertThat(config.operatorCertfile()).isEqualTo(app.resolve("certificates/operator.pem"));
  }

  @Test
  void unknownFederationListsTheAvailableOnes() throws IOException {
    Files.writeString(app.resolve("pyproject.toml"), PYPROJECT);

    assertThatThrownBy(() -> resolve("nope", new ConnectionOptions()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("federation 'nope' is not defined in")
        .hasMessageEndingWith("available: my-federation, remote");
  }

  @Test
  void unknownFederationThroughTheCliIsOneLineAndExitsOne() throws IOException {
    Files.writeString(app.resolve("pyproject.toml"), PYPROJECT);

    CliHarness.Result result = CliHarness.run(home, "supernode", "list", app.toString(), "nope");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err().strip())
        .doesNotContain("\n")
        .startsWith("flwr: federation 'nope'")
        .endsWith("available: my-federation, remote");
  }

  @Test
  void noDefaultAndNoNameListsTheAvailableOnes() throws IOException {
    Files.writeString(
        app.resolve("pyproject.toml"), PYPROJECT.replace("default = \"my-federation\"", ""));

    assertThatThrownBy(() -> resolve(null, new ConnectionOptions()))
        .hasMessageContaining("sets no [tool.flwr.federations] default")
        .hasMessageEndingWith("available: my-federation, remote");
  }

  @Test
  void withoutPyprojectTheUserConfigIsUsedRelativeToItsDirectory() throws IOException {
    Path flwrDir = Files.createDirectories(home.resolve(".flwr"));
    Files.writeString(flwrDir.resolve("config.toml"), PYPROJECT);

    ConnectionConfig config = resolve(null, new ConnectionOptions());

    assertThat(config.federation()).isEqualTo("my-federation");
    assertThat(config.rootCertificates()).isEqualTo(flwrDir.resolve("certificates/ca.crt"));
  }

  @Test
  void neitherFileNorFlagsNamesBothPlaces() {
    assertThatThrownBy(() -> resolve(null, new ConnectionOptions()))
        .hasMessageContaining("no pyproject.toml")
        .hasMessageContaining(home.resolve(".flwr/config.toml").toString());
  }

  @Test
  void flagsAloneSufficeWithoutAnyFile() {
    ConnectionOptions flags = new ConnectionOptions();
    flags.superlinkAddress = "127.0.0.1:9093";
    flags.rootCertificates = Path.of("ca.crt");
    flags.operatorCertfile = Path.of("op.pem");
    flags.operatorKeyfile = Path.of("op.key");

    assertThat(resolve(null, flags).operatorCertfile()).isEqualTo(Path.of("op.pem"));

    flags.operatorKeyfile = null;
    assertThatThrownBy(() -> resolve(null, flags))
        .hasMessageContaining("operator-keyfile")
        .hasMessageContaining("--operator-keyfile");
  }

  @Test
  void missingSettingNamesTheKeyTheFileAndTheFlag() throws IOException {
    Files.writeString(
        app.resolve("pyproject.toml"),
        PYPROJECT.replace("operator-certfile = \"certificates/operator.pem\"\n", ""));

    assertThatThrownBy(() -> resolve(null, new ConnectionOptions()))
        .hasMessageContaining("no operator-certfile in federation 'my-federation' in")
        .hasMessageContaining("pyproject.toml")
        .hasMessageContaining("--operator-certfile");
  }

  @Test
  void brokenTomlNamesTheFile() throws IOException {
    Files.writeString(app.resolve("pyproject.toml"), "[tool.flwr\naddress = ");

    assertThatThrownBy(() -> resolve(null, new ConnectionOptions()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("file " + app.resolve("pyproject.toml") + " is not valid TOML: ");
  }
}
