package io.fedsecure.cli;

import io.fedsecure.cli.app.FlwrCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;

/** Runs the CLI in-process with captured output and an injected home directory. */
public final class CliHarness {

  public record Result(int exitCode, String out, String err) {}

  private CliHarness() {}

  public static Result run(Path home, String... args) {
    return run(home, new StringWriter(), args);
  }

  /** {@code out} lets a test watch output as it is written, e.g. a followed log. */
  public static Result run(Path home, Writer out, String... args) {
    StringWriter err = new StringWriter();
    CliEnvironment environment =
        new CliEnvironment(home, new PrintWriter(out, true), new PrintWriter(err, true));
    int exitCode = FlwrCommand.newCommandLine(environment).execute(args);
    return new Result(exitCode, out.toString(), err.toString());
  }
}
