package io.fedsecure.cli.keygen;

import io.fedsecure.cli.CliEnvironment;
import io.fedsecure.cli.CliException;
import io.fedsecure.crypto.keys.EncryptionKeyFiles;
import io.fedsecure.crypto.keys.KeyFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "encryption-keys",
    mixinStandardHelpOptions = true,
    description = "Per-node AES-256 weight keys: 32 random bytes each, node-<k>_key.bin.")
public final class EncryptionKeysCommand implements Callable<Integer> {

  private final CliEnvironment environment;

  @Mixin OutputDirectory out = new OutputDirectory("encryption_keys");

  @Mixin NodeCount nodes = new NodeCount();

  EncryptionKeysCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    int count = nodes.value();
    Map<String, Boolean> targets = new LinkedHashMap<>();
    for (int k = 1; k <= count; k++) {
      targets.put(EncryptionKeyFiles.pathFor(Path.of(""), "node-" + k).toString(), true);
    }
    try (StagedOutput output = out.prepare(targets)) {
      for (String name : targets.keySet()) {
        try {
          EncryptionKeyFiles.generate(output.staged(name), false);
        } catch (KeyFileException e) {
          throw new CliException("cannot write " + name + ": " + e.getMessage());
        }
      }
      output.commit();
    }
    environment
        .out()
        .println("Wrote " + String.join(", ", targets.keySet()) + " to " + out.dir() + "/");
    environment.out().flush();
    return 0;
  }
}
