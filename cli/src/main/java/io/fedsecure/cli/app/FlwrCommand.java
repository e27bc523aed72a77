package io.fedsecure.cli.app;

import io.fedsecure.cli.CliEnvironment;
import io.fedsecure.cli.keygen.KeygenCommand;
import io.fedsecure.cli.run.LogCommand;
import io.fedsecure.cli.run.LsCommand;
import io.fedsecure.cli.run.RunCommand;
import io.fedsecure.cli.run.StopCommand;
import io.fedsecure.cli.supernode.SupernodeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The operator's {@code flwr} command: Flower's CLI surface over our HTTPS Control API. */
@Command(
    name = "flwr",
    mixinStandardHelpOptions = true,
    versionProvider = FlwrCommand.Version.class,
    description = "Operate a fedsecure federation through the SuperLink Control API.",
    subcommands = {
      RunCommand.class,
      LsCommand.class,
      LogCommand.class,
      StopCommand.class,
      SupernodeCommand.class,
      KeygenCommand.class,
      CommandLine.HelpCommand.class
    })
public final class FlwrCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(newCommandLine(CliEnvironment.system()).execute(args));
  }

  public static CommandLine newCommandLine(CliEnvironment environment) {
    CommandLine commandLine =
        new CommandLine(FlwrCommand.class, new EnvironmentFactory(environment));
    commandLine.setOut(environment.out());
    commandLine.setErr(environment.err());
    OneLineErrors errors = new OneLineErrors();
    commandLine.setExecutionExceptionHandler(errors);
    commandLine.setParameterExceptionHandler(errors);
    return commandLine;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = FlwrCommand.class.getPackage().getImplementationVersion();
      return new String[] {"flwr (fedsecure) " + (version == null ? "development build" : version)};
    }
  }
}
