package io.fedsecure.cli.run;

import io.fedsecure.cli.CliEnvironment;
import io.fedsecure.cli.CliException;
import io.fedsecure.cli.config.FederationTarget;
import io.fedsecure.cli.http.ControlClient;
import io.fedsecure.proto.ConfigValue;
import io.fedsecure.proto.control.RunInfo;
import io.fedsecure.proto.control.RunStatus;
import io.fedsecure.proto.control.StartRunRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Start a federated training run.")
public final class RunCommand implements Callable<Integer> {

  private final CliEnvironment environment;

  @Mixin FederationTarget target;

  @Option(
      names = {"--run-config", "-c"},
      paramLabel = "CONFIG",
      description =
          "Overrides of [tool.flwr.app.config]: 'key=value ...' with TOML values, or a .toml file.")
  List<String> runConfig;

  @Option(
      names = "--stream",
      description = "Follow the run's log until it ends, then print a summary.")
  boolean stream;

  RunCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    Map<String, ConfigValue> config =
        RunConfigOverlay.overlay(
            RunConfigDefaults.read(target.appDir()), RunConfigOverrides.parse(runConfig));
    ControlClient client = target.connect();
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
          "the log stream ended but run "
              + Long.toUnsignedString(runId)
              + " is still "
              + RunStatusText.of(finished.getStatus())
              + "; follow it with: flwr log "
              + Long.toUnsignedString(runId)
              + " --stream");
    }
    RunSummary.print(finished, environment.out());
    return finished.getStatus() == RunStatus.RUN_STATUS_FINISHED ? 0 : 1;
  }
}
