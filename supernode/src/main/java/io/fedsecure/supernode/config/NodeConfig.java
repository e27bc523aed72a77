package io.fedsecure.supernode.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node's own settings from {@code --node-config}, as in Flower: space-separated TOML pairs
 * ({@code dataset-path="datasets/cifar10_part_1" node-id="node-1"}) or the path of a .toml file.
 * Immutable.
 */
public final class NodeConfig {

  /** Shown whenever the operator needs to see what a correct --node-config looks like. */
  public static final String EXAMPLE =
      "--node-config 'dataset-path=\"datasets/cifar10_part_1\" node-id=\"node-1\" "
          + "encryption-key=\"encryption_keys/node-1_key.bin\"'";

  // One key=value pair; the value is a quoted TOML string or a bare token (number, boolean, ...).
  // TOML itself decides whether the value is valid: the regex only finds where pairs end.
  private static final Pattern PAIR = Pattern.compile(
      "([A-Za-z0-9_.-]+)\\s*=\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'|[^\\s,\"']+)");

  private static final TomlMapper TOML = new TomlMapper();

  private final Map<String, Object> values;

  private NodeConfig(Map<String, Object> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  public static NodeConfig of(Map<String, ?> values) {
    return new NodeConfig(new LinkedHashMap<>(values));
  }

  /** Parses the --node-config argument: a .toml file path or space-separated TOML pairs. */
  public static NodeConfig parse(String argument) {
    if (argument == null || argument.isBlank()) {
      throw new NodeConfigException("--node-config is required, e.g. " + EXAMPLE);
    }
    String text = argument.strip();
    if (!text.contains("=") && text.endsWith(".toml")) {
      return fromFile(Path.of(text));
    }
    return fromPairs(text);
  }

  private static NodeConfig fromFile(Path file) {
    String content;
    try {
      content = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new NodeConfigException("--node-config file " + file + " does not exist");
    } catch (IOException e) {
      throw new NodeConfigException("cannot read --node-config file " + file + ": " + e.getMessage());
    }
    try {
      return new NodeConfig(readToml(content));
    } catch (JacksonException e) {
      throw new NodeConfigException(
          "--node-config file " + file + " is not valid TOML: " + oneLine(e.getOriginalMessage()));
    }
  }

  private static NodeConfig fromPairs(String text) {
    Map<String, Object> values = new LinkedHashMap<>();
    Matcher m = PAIR.matcher(text);
    int pos = 0;
    while (pos < text.length()) {
      m.region(pos, text.length());
      if (!m.lookingAt()) {
        throw new NodeConfigException("--node-config cannot be read near `" + excerpt(text, pos)
            + "`: expected space-separated key=value pairs, e.g. " + EXAMPLE);
      }
      String key = m.group(1);
      String value = m.group(2);
      values.put(key, tomlValue(key, value));
      pos = m.end();
      int next = skipSpaces(text, pos);
      if (next < text.length() && text.charAt(next) == ',') {
        throw new NodeConfigException("--node-config pairs are separated by spaces, not commas: write "
            + EXAMPLE);
      }
      if (next == pos && next < text.length()) {
        throw new NodeConfigException("--node-config value of " + key + " runs into `"
            + excerpt(text, pos) + "`: separate pairs with spaces, e.g. " + EXAMPLE);
      }
      pos = next;
    }
    return new NodeConfig(values);
  }

  private static Object tomlValue(String key, String value) {
    try {
      Map<String, Object> parsed = readToml("v = " + value);
      return parsed.get("v");
    } catch (JacksonException e) {
      throw new NodeConfigException("--node-config value of " + key + " is not a TOML value: " + value
          + " (quote strings: " + key + "=\"" + value + "\")");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> readToml(String content) throws JacksonException {
    return TOML.readValue(content, Map.class);
  }

  /** The string value of {@code key}; fails with the expected form when it is missing. */
  public String string(String key) {
    Object value = values.get(key);
    if (value == null) {
      throw new NodeConfigException("node-config is missing key " + key + " (e.g. " + EXAMPLE + ")");
    }
    if (!(value instanceof String s)) {
      throw new NodeConfigException(
          "node-config key " + key + " must be a quoted string, e.g. " + key + "=\"" + value + "\"");
    }
    if (s.isBlank()) {
      throw new NodeConfigException("node-config key " + key + " is empty");
    }
    return s;
  }

  public Optional<String> optionalString(String key) {
    return values.containsKey(key) ? Optional.of(string(key)) : Optional.empty();
  }

  /** An integer value; {@code defaultValue} when the key is absent. */
  public int intValue(String key, int defaultValue) {
    Object value = values.get(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Number n && (value instanceof Integer || value instanceof Long)) {
      long l = n.longValue();
      if (l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
        return (int) l;
      }
    }
    throw new NodeConfigException(
        "node-config key " + key + " must be an integer without quotes, e.g. " + key + "=" + defaultValue
            + ", got " + render(value));
  }

  /** All values as TOML gave them (String, Long, Double, Boolean, nested maps, lists). */
  public Map<String, Object> values() {
    return values;
  }

  @Override
  public String toString() {
    // The values are paths and names, no secrets; the key files themselves are never read here.
    return "NodeConfig" + values;
  }

  private static String render(Object value) {
    try {
      return JsonMapper.builder().build().writeValueAsString(value);
    } catch (JacksonException e) {
      return String.valueOf(value);
    }
  }

  private static int skipSpaces(String text, int pos) {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
    return pos;
  }

  private static String excerpt(String text, int pos) {
    String rest = text.substring(pos);
    return rest.length() > 30 ? rest.substring(0, 30) + "..." : rest;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").strip();
  }
}
