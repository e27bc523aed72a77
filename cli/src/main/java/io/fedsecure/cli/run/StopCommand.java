package io.fedsecure.cli.run;

import io.fedsecure.cli.CliEnvironment;
import io.fedsecure.cli.config.ConnectionOptions;
import io.fedsecure.cli.config.FederationTarget;
import io.fedsecure.cli.output.Ids;
import io.fedsecure.proto.control.RunInfo;
import io.fedsecure.proto.control.RunStatus;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop a run.")
public final class StopCommand implements Callable<Integer> {

  private final CliEnvironment environment;

  @Parameters(index = "0", paramLabel = "RUN_ID", description = "Run id as printed by 'flwr run' or 'flwr ls'.")
  String runId;

  @Parameters(index = "1", arity = "0..1", defaultValue = ".", paramLabel = "APP", description = "App directory holding pyproject.toml (default: ${DEFAULT-VALUE}).")
  Path appDir;

  @Parameters(index = "2", arity = "0..1", paramLabel = "FEDERATION", description = "Federation in [tool.flwr.federations] (default: its 'default').")
  String federation;

  @Mixin ConnectionOptions connection;

  StopCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    long id = Ids.parse(runId, "run id");
    RunInfo run = FederationTarget.connect(environment, appDir, federation, connection).stopRun(id);
    environment.out().println(
        run.getStatus() == RunStatus.RUN_STATUS_STOPPED
            ? "Run " + Long.toUnsignedString(id) + " stopped successfully"
            : "Run " + Long.toUnsignedString(id) + " stop requested (now " + RunStatusText.of(run.getStatus()) + ")");
    environment.out().flush();
    return 0;
  }
}
