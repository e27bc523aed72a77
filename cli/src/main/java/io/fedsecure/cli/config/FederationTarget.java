package io.fedsecure.cli.config;

import io.fedsecure.cli.CliEnvironment;
import io.fedsecure.cli.http.ControlClient;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * The {@code [APP] [FEDERATION]} arguments and connection flags every Control API command takes.
 * Mixed in after a command's own arguments, so they follow them on the command line.
 */
public final class FederationTarget {

  private final CliEnvironment environment;

  @Parameters(
      arity = "0..1",
      defaultValue = ".",
      paramLabel = "APP",
      description = "App directory holding pyproject.toml (default: ${DEFAULT-VALUE}).")
  private Path appDir;

  @Parameters(
      arity = "0..1",
      paramLabel = "FEDERATION",
      description = "Federation in [tool.flwr.federations] (default: its 'default').")
  private String federation;

  @Mixin private ConnectionOptions connection;

  FederationTarget(CliEnvironment environment) {
    this.environment = environment;
  }

  public Path appDir() {
    return appDir;
  }

  public ControlClient connect() {
    return ControlClient.connect(
        new ConfigResolver(environment.homeDir()).resolve(appDir, federation, connection));
  }
}
