package io.fedsecure.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsecure.protocol.config.ConfigSyntaxException;
import io.fedsecure.protocol.config.TomlConfig;
import java.nio.file.Path;

/** Reads a config file into a tree; a missing or broken file becomes a {@link ConfigException}. */
public final class TomlFiles {

  private TomlFiles() {}

  public static JsonNode read(Path file) {
    try {
      return TomlConfig.read(file);
    } catch (ConfigSyntaxException e) {
      throw new ConfigException(e.getMessage());
    }
  }
}
