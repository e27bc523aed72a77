package io.fedsecure.cli.keygen;

import io.fedsecure.cli.CliException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * All-or-nothing output of generated key material. Every target is checked before anything is
 * generated, so a refused re-run leaves keys in use untouched; files are written into a private
 * staging directory beside the targets and only then moved into place, so a failure while
 * generating never leaves a half-replaced set (a CA that no longer matches its certificates).
 */
final class StagedOutput implements AutoCloseable {

  private final Path outDir;
  private final Path staging;
  private final boolean createdOutDir;
  private final Map<String, Boolean> files = new LinkedHashMap<>();
  private boolean committed;

  private StagedOutput(Path outDir, Path staging, boolean createdOutDir) {
    this.outDir = outDir;
    this.staging = staging;
    this.createdOutDir = createdOutDir;
  }

  /**
   * @param targets file names inside {@code outDir}, mapped to whether each is secret (mode 600)
   */
  static StagedOutput prepare(Path outDir, Map<String, Boolean> targets, boolean force) {
    if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
      throw new CliException("--out " + outDir + " exists and is not a directory");
    }
    List<String> existing = new ArrayList<>();
    for (String name : targets.keySet()) {
      if (Files.exists(outDir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
        existing.add(name);
      }
    }
    if (!existing.isEmpty() && !force) {
      throw new CliException(
          "refusing to overwrite existing files in "
              + outDir
              + "/: "
              + String.join(", ", existing)
              + " (they may be in use; pass --force to overwrite them all)");
    }
    try {
      boolean created = !Files.isDirectory(outDir);
      Files.createDirectories(outDir);
      // createTempDirectory makes it owner-only (700) on POSIX, so staged keys are never exposed.
      StagedOutput output =
          new StagedOutput(outDir, Files.createTempDirectory(outDir, ".keygen-"), created);
      output.files.putAll(targets);
      return output;
    } catch (IOException e) {
      throw new CliException("cannot create " + outDir + ": " + e.getMessage());
    }
  }

  /** Where to write {@code name} before {@link #commit()}. */
  Path staged(String name) {
    if (!files.containsKey(name)) {
      throw new IllegalArgumentException(name + " was not declared as a target");
    }
    return staging.resolve(name);
  }

  void commit() {
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    try {
      for (Map.Entry<String, Boolean> file : files.entrySet()) {
        Path source = staging.resolve(file.getKey());
        if (!Files.isRegularFile(source)) {
          throw new IllegalStateException(file.getKey() + " was declared but not generated");
        }
        if (posix) {
          // Whatever the writer chose: keys are owner-only, certificates and public keys readable.
          Files.setPosixFilePermissions(
              source, PosixFilePermissions.fromString(file.getValue() ? "rw-------" : "rw-r--r--"));
        }
      }
      for (String name : files.keySet()) {
        Files.move(
            staging.resolve(name),
            outDir.resolve(name),
            StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new CliException("cannot write into " + outDir + ": " + e.getMessage());
    }
    committed = true;
  }

  @Override
  public void close() {
    try (Stream<Path> walk = Files.walk(staging)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
      if (!committed && createdOutDir) {
        // A failed first run should not leave an empty directory that looks like output.
        try (Stream<Path> left = Files.list(outDir)) {
          if (left.findAny().isEmpty()) {
            Files.delete(outDir);
          }
        }
      }
    } catch (IOException e) {
      throw new CliException("cannot remove staging directory " + staging + ": " + e.getMessage());
    }
  }
}
