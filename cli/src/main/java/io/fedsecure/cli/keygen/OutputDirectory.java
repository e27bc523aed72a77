package io.fedsecure.cli.keygen;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --out} and {@code --force} of the keygen commands; each names its own default directory.
 */
final class OutputDirectory {

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output directory (default: ${DEFAULT-VALUE}).")
  private Path dir;

  @Option(names = "--force", description = "Overwrite existing files.")
  private boolean force;

  OutputDirectory(String defaultDir) {
    this.dir = Path.of(defaultDir);
  }

  Path dir() {
    return dir;
  }

  /** See {@link StagedOutput#prepare}. */
  StagedOutput prepare(Map<String, Boolean> targets) {
    return StagedOutput.prepare(dir, targets, force);
  }
}
