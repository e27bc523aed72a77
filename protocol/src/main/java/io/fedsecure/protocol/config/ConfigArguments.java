package io.fedsecure.protocol.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsecure.proto.ConfigValue;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A config flag in Flower's syntax ({@code flwr run --run-config}, {@code supernode
 * --node-config}): space-separated {@code key=value} pairs whose values are TOML ({@code 3} an
 * integer, {@code 0.5} a float, {@code "a b"} a string, {@code true} a boolean), or the path of one
 * {@code .toml} file. Only the splitting into pairs is done here; TOML itself reads each value.
 */
public final class ConfigArguments {

  private static final String KEY = "[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*";
  // A quoted string (basic with escapes, or literal), an inline array, or a bare token up to the
  // next space.
  private static final String VALUE =
      "\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'|\\[[^\\]]*\\]|[^\\s,\"'\\[\\]]+";
  private static final Pattern PAIR = Pattern.compile("(" + KEY + ")\\s*=\\s*(" + VALUE + ")");

  private final String flag;
  private final String example;

  /**
   * @param flag the option, named in every error
   * @param example a correct value of the option, shown when the pairs cannot be split
   */
  public ConfigArguments(String flag, String example) {
    this.flag = flag;
    this.example = example;
  }

  public Map<String, ConfigValue> parse(String argument) {
    return parse(List.of(argument));
  }

  /** Several arguments add up, a later pair replacing an earlier one; a file must come alone. */
  public Map<String, ConfigValue> parse(List<String> arguments) {
    if (arguments.size() == 1 && isFile(arguments.get(0))) {
      return file(Path.of(arguments.get(0).strip()));
    }
    Map<String, ConfigValue> values = new LinkedHashMap<>();
    for (String argument : arguments) {
      if (isFile(argument)) {
        throw failure("a .toml file cannot be combined with key=value pairs");
      }
      values.putAll(pairs(argument));
    }
    return values;
  }

  private static boolean isFile(String argument) {
    return !argument.contains("=") && argument.strip().endsWith(".toml");
  }

  private Map<String, ConfigValue> file(Path file) {
    JsonNode table;
    try {
      table = TomlConfig.read(file);
    } catch (ConfigSyntaxException e) {
      throw failure(e.getMessage());
    }
    return flatten(table, "file " + file + ": ");
  }

  private Map<String, ConfigValue> pairs(String text) {
    Map<String, ConfigValue> values = new LinkedHashMap<>();
    Matcher pair = PAIR.matcher(text);
    int pos = skipSpaces(text, 0);
    while (pos < text.length()) {
      if (!pair.region(pos, text.length()).lookingAt()) {
        throw failure("'" + token(text, pos) + "' is not key=value, e.g. " + flag + " " + example);
      }
      values.putAll(value(pair.group(1), pair.group(2)));
      int next = skipSpaces(text, pair.end());
      if (next < text.length() && text.charAt(next) == ',') {
        throw failure("pairs are separated by spaces, not commas, e.g. " + flag + " " + example);
      }
      if (next == pair.end() && next < text.length()) {
        throw failure(
            "value of "
                + pair.group(1)
                + " runs into '"
                + token(text, next)
                + "': separate pairs with spaces");
      }
      pos = next;
    }
    return values;
  }

  private Map<String, ConfigValue> value(String key, String value) {
    JsonNode table;
    try {
      table = TomlConfig.read(key + " = " + value);
    } catch (ConfigSyntaxException e) {
      boolean quoted = value.startsWith("\"") || value.startsWith("'");
      throw failure(
          "value of "
              + key
              + " is not a TOML value: "
              + value
              + (quoted ? "" : " (quote strings: " + key + "=\"" + value + "\")"));
    }
    return flatten(table, "");
  }

  private Map<String, ConfigValue> flatten(JsonNode table, String where) {
    try {
      return TomlConfig.flatten(table);
    } catch (ConfigSyntaxException e) {
      throw failure(where + e.getMessage());
    }
  }

  private ConfigSyntaxException failure(String problem) {
    return new ConfigSyntaxException(flag + ": " + problem);
  }

  private static int skipSpaces(String text, int pos) {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
    return pos;
  }

  /** The text from {@code pos} to the next space, shortened: what the operator should look at. */
  private static String token(String text, int pos) {
    int end = pos;
    while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
      end++;
    }
    String token = text.substring(pos, end);
    return token.length() > 30 ? token.substring(0, 30) + "..." : token;
  }
}
