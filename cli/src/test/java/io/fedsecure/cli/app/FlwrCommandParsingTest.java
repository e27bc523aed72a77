package io.fedsecure.cli.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsecure.cli.CliEnvironment;
import io.fedsecure.cli.CliHarness;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

class FlwrCommandParsingTest {

  private static CommandSpec leaf(String... args) {
    CliEnvironment env =
        new CliEnvironment(
            Path.of("/nonexistent-home"),
            new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()));
    CommandLine.ParseResult result = FlwrCommand.newCommandLine(env).parseArgs(args);
    while (result.hasSubcommand()) {
      result = result.subcommand();
    }
    return result.commandSpec();
  }

  private static Object positional(CommandSpec spec, int index) {
    return spec.positionalParameters().get(index).getValue();
  }

  private static Object option(CommandSpec spec, String name) {
    return spec.findOption(name).getValue();
  }

  @Test
  void seedRegisterFormTakesKeyFileAppDirAndFederation() {
    CommandSpec spec =
        leaf("supernode", "register", "keys/client_credentials_1.pub", ".", "my-federation");
    assertThat(spec.qualifiedName()).isEqualTo("flwr supernode register");
    assertThat(positional(spec, 0)).isEqualTo(Path.of("keys/client_credentials_1.pub"));
    assertThat(positional(spec, 1)).isEqualTo(Path.of("."));
    assertThat(positional(spec, 2)).isEqualTo("my-federation");
    assertThat(option(spec, "--name")).isNull();
  }

  @Test
  void registerDefaultsToCurrentDirectoryAndDefaultFederation() {
    CommandSpec spec =
        leaf(
            "supernode",
            "register",
            "k.pub",
            "--name",
            "node-7",
            "--superlink-address",
            "10.0.0.1:9093");
    assertThat(positional(spec, 1)).isEqualTo(Path.of("."));
    assertThat(positional(spec, 2)).isNull();
    assertThat(option(spec, "--name")).isEqualTo("node-7");
    assertThat(option(spec, "--superlink-address")).isEqualTo("10.0.0.1:9093");
  }

  @Test
  void supernodeListAndUnregister() {
    CommandSpec list =
        leaf(
            "supernode",
            "list",
            ".",
            "my-federation",
            "--format",
            "json",
            "--root-certificates",
            "ca.pem");
    assertThat(positional(list, 0)).isEqualTo(Path.of("."));
    assertThat(positional(list, 1)).isEqualTo("my-federation");
    assertThat(option(list, "--format").toString()).isEqualTo("json");
    assertThat(option(list, "--root-certificates")).isEqualTo(Path.of("ca.pem"));
    assertThat(option(leaf("supernode", "list"), "--format").toString()).isEqualTo("table");

    CommandSpec unregister = leaf("supernode", "unregister", "5", "app", "fed");
    assertThat(positional(unregister, 0)).isEqualTo("5");
    assertThat(positional(unregister, 1)).isEqualTo(Path.of("app"));
    assertThat(positional(unregister, 2)).isEqualTo("fed");
  }

  @Test
  void runTakesAppFederationRunConfigAndStream() {
    CommandSpec spec =
        leaf(
            "run",
            ".",
            "my-federation",
            "--run-config",
            "num-server-rounds=3 local-epochs=1",
            "--stream");
    assertThat(spec.name()).isEqualTo("run");
    assertThat(positional(spec, 0)).isEqualTo(Path.of("."));
    assertThat(positional(spec, 1)).isEqualTo("my-federation");
    assertThat(option(spec, "--run-config"))
        .isEqualTo(List.of("num-server-rounds=3 local-epochs=1"));
    assertThat(option(spec, "--stream")).isEqualTo(true);

    CommandSpec bare = leaf("run");
    assertThat(positional(bare, 0)).isEqualTo(Path.of("."));
    assertThat(option(bare, "--stream")).isEqualTo(false);
  }

  @Test
  void lsLogAndStop() {
    assertThat(option(leaf("ls", "--format", "json"), "--format").toString()).isEqualTo("json");
    CommandSpec log = leaf("log", "12", "--stream");
    assertThat(positional(log, 0)).isEqualTo("12");
    assertThat(option(log, "--stream")).isEqualTo(true);
    CommandSpec stop = leaf("stop", "12", ".", "fed");
    assertThat(positional(stop, 0)).isEqualTo("12");
    assertThat(positional(stop, 2)).isEqualTo("fed");
  }

  @Test
  void keygenIsHiddenButParses() {
    CommandSpec certs =
        leaf(
            "keygen",
            "certs",
            "--out",
            "c",
            "--nodes",
            "3",
            "--san",
            "a.example",
            "--san",
            "10.0.0.5",
            "--force");
    assertThat(option(certs, "--nodes")).isEqualTo(3);
    assertThat(option(certs, "--san")).isEqualTo(List.of("a.example", "10.0.0.5"));
    assertThat(option(certs, "--force")).isEqualTo(true);
    assertThat(option(leaf("keygen", "auth-keys", "--count", "4"), "--count")).isEqualTo(4);
    assertThat(option(leaf("keygen", "encryption-keys"), "--out"))
        .isEqualTo(Path.of("encryption_keys"));

    CliHarness.Result help = CliHarness.run(Path.of("/nonexistent-home"), "--help");
    assertThat(help.out())
        .contains("supernode", "run", "ls", "log", "stop")
        .doesNotContain("keygen");
  }

  @Test
  void badInputIsOneLineUsageErrorWithoutStackTrace() {
    CliHarness.Result unknownFormat =
        CliHarness.run(Path.of("/nonexistent-home"), "supernode", "list", "--format", "yaml");
    assertThat(unknownFormat.exitCode()).isEqualTo(2);
    assertThat(unknownFormat.err()).contains("--format").doesNotContain("Exception", "\tat ");

    CliHarness.Result badId = CliHarness.run(Path.of("/nonexistent-home"), "stop", "abc");
    assertThat(badId.exitCode()).isEqualTo(2);
    assertThat(badId.err())
        .isEqualTo("flwr: run id 'abc' is not a number" + System.lineSeparator());
  }
}
