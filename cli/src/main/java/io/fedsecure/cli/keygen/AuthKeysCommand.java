package io.fedsecure.cli.keygen;

import io.fedsecure.cli.CliEnvironment;
import io.fedsecure.cli.CliException;
import io.fedsecure.crypto.keys.EcKeys;
import io.fedsecure.crypto.keys.KeyFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "auth-keys",
    mixinStandardHelpOptions = true,
    description =
        "SuperNode authentication key pairs (EC P-384, OpenSSH format, as Flower writes them).")
public final class AuthKeysCommand implements Callable<Integer> {

  private final CliEnvironment environment;

  @Mixin OutputDirectory out = new OutputDirectory("keys");

  @Mixin NodeCount nodes = new NodeCount();

  AuthKeysCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    int count = nodes.value();
    Map<String, Boolean> targets = new LinkedHashMap<>();
    for (int k = 1; k <= count; k++) {
      targets.put("client_credentials_" + k, true);
      targets.put("client_credentials_" + k + ".pub", false);
    }
    try (StagedOutput output = out.prepare(targets)) {
      for (int k = 1; k <= count; k++) {
        Path privateKey = output.staged("client_credentials_" + k);
        try {
          // Flower's script passes an empty comment to ssh-keygen; the file name carries the
          // identity.
          EcKeys.writeOpenSsh(EcKeys.generateP384(), privateKey, "");
        } catch (KeyFileException e) {
          throw new CliException("cannot write client_credentials_" + k + ": " + e.getMessage());
        }
      }
      output.commit();
    }
    environment
        .out()
        .println(
            "Wrote "
                + count
                + " key pair(s) client_credentials_1.."
                + count
                + " (+ .pub) to "
                + out.dir()
                + "/");
    environment
        .out()
        .println(
            "Register each with: flwr supernode register "
                + out.dir()
                + "/client_credentials_<k>.pub");
    environment.out().flush();
    return 0;
  }
}
