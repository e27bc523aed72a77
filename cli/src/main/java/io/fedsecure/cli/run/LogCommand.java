package io.fedsecure.cli.run;

import io.fedsecure.cli.CliEnvironment;
import io.fedsecure.cli.config.FederationTarget;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "log", mixinStandardHelpOptions = true, description = "Show a run's log.")
public final class LogCommand implements Callable<Integer> {

  private final CliEnvironment environment;

  @Mixin RunIdArgument runId;

  @Mixin FederationTarget target;

  @Option(names = "--stream", description = "Keep following the log until the run ends.")
  boolean stream;

  LogCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    LogPrinter.print(target.connect(), runId.value(), stream, environment.out());
    return 0;
  }
}
