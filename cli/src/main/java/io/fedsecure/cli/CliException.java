package io.fedsecure.cli;

/**
 * A problem the operator can fix (bad flag, missing file, server refusal). Its message is printed
 * as one line without a stack trace, so it must name the file, flag or server answer at fault and
 * must never contain secret material.
 */
public class CliException extends RuntimeException {

  private final int exitCode;

  public CliException(String message) {
    this(message, 1);
  }

  public CliException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  public CliException(String message, Throwable cause) {
    super(message, cause);
    this.exitCode = 1;
  }

  public int exitCode() {
    return exitCode;
  }
}
