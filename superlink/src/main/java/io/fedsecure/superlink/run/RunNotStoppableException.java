package io.fedsecure.superlink.run;

public final class RunNotStoppableException extends Exception {
  public RunNotStoppableException(String message) {
    super(message);
  }
}
