package io.fedsecure.cli.run;

import io.fedsecure.cli.CliEnvironment;
import io.fedsecure.cli.config.ConnectionOptions;
import io.fedsecure.cli.config.FederationTarget;
import io.fedsecure.cli.output.Ids;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "log", mixinStandardHelpOptions = true, description = "Show a run's log.")
public final class LogCommand implements Callable<Integer> {

  private final CliEnvironment environment;

  @Parameters(index = "0", paramLabel = "RUN_ID", description = "Run id as printed by 'flwr run' or 'flwr ls'.")
  String runId;

  @Parameters(index = "1", arity = "0..1", defaultValue = ".", paramLabel = "APP", description = "App directory holding pyproject.toml (default: ${DEFAULT-VALUE}).")
  Path appDir;

  @Parameters(index = "2", arity = "0..1", paramLabel = "FEDERATION", description = "Federation in [tool.flwr.federations] (default: its 'default').")
  String federation;

  @Option(names = "--stream", description = "Keep following the log until the run ends.")
  boolean stream;

  @Mixin ConnectionOptions connection;

  LogCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    long id = Ids.parse(runId, "run id");
    LogPrinter.print(FederationTarget.connect(environment, appDir, federation, connection), id, stream, environment.out());
    return 0;
  }
}
