package io.fedsecure.cli.keygen;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Hidden: the scripts in scripts/ are the documented entry points. */
@Command(
    name = "keygen",
    hidden = true,
    mixinStandardHelpOptions = true,
    description =
        "Generate the federation's certificates and keys (used by scripts/generate_*.sh).",
    subcommands = {CertsCommand.class, AuthKeysCommand.class, EncryptionKeysCommand.class})
public final class KeygenCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing command: certs, auth-keys or encryption-keys");
  }
}
