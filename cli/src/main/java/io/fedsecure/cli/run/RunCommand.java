package io.fedsecure.cli.run;

import io.fedsecure.cli.CliEnvironment;
import io.fedsecure.cli.CliException;
import io.fedsecure.cli.config.ConnectionOptions;
import io.fedsecure.cli.config.FederationTarget;
import io.fedsecure.cli.http.ControlClient;
import io.fedsecure.proto.ConfigValue;
import io.fedsecure.proto.control.RunInfo;
import io.fedsecure.proto.control.RunStatus;
import io.fedsecure.proto.control.StartRunRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true, description = "Start a federated training run.")
public final class RunCommand implements Callable<Integer> {

  private final CliEnvironment environment;

  @Parameters(index = "0", arity = "0..1", defaultValue = ".", paramLabel = "APP", description = "App directory holding pyproject.toml (default: ${DEFAULT-VALUE}).")
  Path appDir;

  @Parameters(index = "1", arity = "0..1", paramLabel = "FEDERATION", description = "Federation in [tool.flwr.federations] (default: its 'default').")
  String federation;

  @Option(names = {"--run-config", "-c"}, paramLabel = "CONFIG", description = "Overrides of [tool.flwr.app.config]: 'key=value ...' with TOML values, or a .toml file.")
  List<String> runConfig;

  @Option(names = "--stream", description = "Follow the run's log until it ends, then print a summary.")
  boolean stream;

  @Mixin ConnectionOptions connection;

  RunCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    Map<String, ConfigValue> config =
        RunConfigOverlay.overlay(RunConfigDefaults.read(appDir), RunConfigOverrides.parse(runConfig));
    ControlClient client = FederationTarget.connect(environment, appDir, federation, connection);
    RunInfo started = client.startRun(StartRunRequest.newBuilder().putAllRunConfig(config).build());
    long runId = started.getRunId();
    environment.out().println("Starting run " + Long.toUnsignedString(runId));
    environment.out().flush();
    if (!stream) {
      return 0;
    }
    LogPrinter.print(client, runId, true, environment.out());
    RunInfo finished = client.getRun(runId);
    if (!RunStatusText.isTerminal(finished.getStatus())) {
      throw new CliException(
          "the log stream ended but run " + Long.toUnsignedString(runId) + " is still "
              + RunStatusText.of(finished.getStatus()) + "; follow it with: flwr log " + Long.toUnsignedString(runId) + " --stream");
    }
    RunSummary.print(finished, environment.out());
    return finished.getStatus() == RunStatus.RUN_STATUS_FINISHED ? 0 : 1;
  }
}
