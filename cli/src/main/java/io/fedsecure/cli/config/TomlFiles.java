package io.fedsecure.cli.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Path;

/** Reads TOML into a tree; a broken file becomes one line naming the file and the spot. */
public final class TomlFiles {

  private static final TomlMapper MAPPER = new TomlMapper();

  private TomlFiles() {}

  public static JsonNode read(Path file) {
    try {
      return MAPPER.readTree(file.toFile());
    } catch (JacksonException e) {
      throw new ConfigException("cannot parse " + file + ": " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new ConfigException("cannot read " + file + ": " + e.getMessage());
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "malformed TOML";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
