package io.fedsecure.protocol.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.fedsecure.proto.ConfigValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * TOML to the flat values a {@code ConfigRecord} holds, as Flower flattens them: nested tables
 * become dotted keys; integers, floats, strings and booleans only. Keys keep their TOML order.
 */
public final class TomlConfig {

  private static final TomlMapper TOML = new TomlMapper();

  private TomlConfig() {}

  /** A TOML file as a tree; the errors name the file and, for a syntax error, the spot. */
  public static JsonNode read(Path file) {
    String toml;
    try {
      toml = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigSyntaxException("file " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigSyntaxException("cannot read file " + file + ": " + e.getMessage());
    }
    try {
      return read(toml);
    } catch (ConfigSyntaxException e) {
      throw new ConfigSyntaxException("file " + file + " is not valid TOML: " + e.getMessage());
    }
  }

  /** A TOML document as a tree; a syntax error's message is its first line, without the input. */
  static JsonNode read(String toml) {
    try {
      return TOML.readTree(toml);
    } catch (JacksonException e) {
      throw new ConfigSyntaxException(firstLine(e.getOriginalMessage()));
    }
  }

  public static Map<String, ConfigValue> flatten(JsonNode table) {
    Map<String, ConfigValue> values = new LinkedHashMap<>();
    flattenInto(values, "", table);
    return values;
  }

  private static void flattenInto(Map<String, ConfigValue> values, String prefix, JsonNode table) {
    for (Iterator<Map.Entry<String, JsonNode>> it = table.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String key = prefix + entry.getKey();
      if (entry.getValue().isObject()) {
        flattenInto(values, key + ".", entry.getValue());
      } else {
        values.put(key, value(key, entry.getValue()));
      }
    }
  }

  private static ConfigValue value(String key, JsonNode node) {
    if (node.isIntegralNumber()) {
      if (!node.canConvertToLong()) {
        throw new ConfigSyntaxException("value of " + key + " does not fit in 64 bits");
      }
      return ConfigValue.newBuilder().setIntValue(node.longValue()).build();
    }
    if (node.isNumber()) {
      return ConfigValue.newBuilder().setDoubleValue(node.doubleValue()).build();
    }
    if (node.isBoolean()) {
      return ConfigValue.newBuilder().setBoolValue(node.booleanValue()).build();
    }
    if (node.isTextual()) {
      return ConfigValue.newBuilder().setStringValue(node.textValue()).build();
    }
    throw new ConfigSyntaxException(
        "value of " + key + " must be an integer, float, string or boolean");
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "malformed TOML";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
