package io.fedsecure.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * What a command may touch outside its arguments. Injected rather than read from globals so tests
 * can point the user config at a temporary home and capture output.
 */
public record CliEnvironment(Path homeDir, PrintWriter out, PrintWriter err) {

  public static CliEnvironment system() {
    return new CliEnvironment(
        Path.of(System.getProperty("user.home")),
        new PrintWriter(System.out, true),
        new PrintWriter(System.err, true));
  }
}
