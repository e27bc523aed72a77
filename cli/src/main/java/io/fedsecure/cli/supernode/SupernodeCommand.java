package io.fedsecure.cli.supernode;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
    name = "supernode",
    mixinStandardHelpOptions = true,
    description = "Register, list and unregister SuperNodes.",
    subcommands = {RegisterCommand.class, ListCommand.class, UnregisterCommand.class})
public final class SupernodeCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing command: register, list or unregister");
  }
}
