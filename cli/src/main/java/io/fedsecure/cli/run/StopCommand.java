package io.fedsecure.cli.run;

import io.fedsecure.cli.CliEnvironment;
import io.fedsecure.cli.config.FederationTarget;
import io.fedsecure.proto.control.RunInfo;
import io.fedsecure.proto.control.RunStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop a run.")
public final class StopCommand implements Callable<Integer> {

  private final CliEnvironment environment;

  @Mixin RunIdArgument runId;

  @Mixin FederationTarget target;

  StopCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    long id = runId.value();
    RunInfo run = target.connect().stopRun(id);
    environment
        .out()
        .println(
            run.getStatus() == RunStatus.RUN_STATUS_STOPPED
                ? "Run " + Long.toUnsignedString(id) + " stopped successfully"
                : "Run "
                    + Long.toUnsignedString(id)
                    + " stop requested (now "
                    + RunStatusText.of(run.getStatus())
                    + ")");
    environment.out().flush();
    return 0;
  }
}
