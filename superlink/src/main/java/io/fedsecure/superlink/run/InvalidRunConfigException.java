package io.fedsecure.superlink.run;

/** A run config key that is unknown or has a value of the wrong type or range. */
public final class InvalidRunConfigException extends Exception {
  private final String key;

  public InvalidRunConfigException(String key, String message) {
    super("run config key '" + key + "': " + message);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
