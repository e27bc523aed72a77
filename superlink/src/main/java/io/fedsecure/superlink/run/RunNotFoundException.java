package io.fedsecure.superlink.run;

public final class RunNotFoundException extends Exception {
  public RunNotFoundException(long runId) {
    super("no run with id " + Long.toUnsignedString(runId));
  }
}
