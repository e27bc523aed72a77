package io.fedsecure.cli.config;

import io.fedsecure.cli.CliException;

/**
 * A config file or connection setting that is missing or unusable; the message names the file or
 * flag.
 */
public final class ConfigException extends CliException {
  public ConfigException(String message) {
    super(message);
  }
}
