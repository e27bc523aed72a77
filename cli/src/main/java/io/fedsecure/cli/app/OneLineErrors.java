package io.fedsecure.cli.app;

import io.fedsecure.cli.CliException;
import picocli.CommandLine;

/**
 * Operators see one line per failure. Expected problems carry their own message; anything else is a
 * bug, still reported as one line (class and message) because stack traces from a CLI mostly leak
 * paths and confuse.
 */
final class OneLineErrors
    implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

  /** Usage mistakes: the problem and where to read more, instead of picocli's full usage dump. */
  @Override
  public int handleParseException(CommandLine.ParameterException ex, String[] args) {
    CommandLine command = ex.getCommandLine();
    command
        .getErr()
        .println(
            "flwr: "
                + ex.getMessage()
                + " (see '"
                + command.getCommandSpec().qualifiedName()
                + " --help')");
    command.getErr().flush();
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }

  @Override
  public int handleExecutionException(
      Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    if (ex instanceof CliException cli) {
      commandLine.getErr().println("flwr: " + cli.getMessage());
      commandLine.getErr().flush();
      return cli.exitCode();
    }
    String message = ex.getMessage() == null ? "" : ": " + ex.getMessage();
    commandLine.getErr().println("flwr: unexpected " + ex.getClass().getSimpleName() + message);
    commandLine.getErr().flush();
    return 1;
  }
}
