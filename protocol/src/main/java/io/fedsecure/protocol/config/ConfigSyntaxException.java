package io.fedsecure.protocol.config;

/** Config text that cannot be read; the message names the flag or file and the pair at fault. */
public final class ConfigSyntaxException extends IllegalArgumentException {
  public ConfigSyntaxException(String message) {
    super(message);
  }
}
