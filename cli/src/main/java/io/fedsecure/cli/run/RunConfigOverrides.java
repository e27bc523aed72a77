package io.fedsecure.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsecure.cli.CliException;
import io.fedsecure.cli.config.TomlFiles;
import io.fedsecure.proto.ConfigValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --run-config} as Flower reads it: space-separated {@code key=value} pairs whose values
 * are TOML (so {@code 3} is an integer, {@code 0.5} a float, {@code "a b"} a string), or a single
 * path to a {@code .toml} file.
 */
public final class RunConfigOverrides {

  // Flower's own pattern: a value is a quoted string or runs to the next space.
  private static final Pattern PAIR = Pattern.compile("(\\S+?)=('[^']*'|\"[^\"]*\"|\\S+)");

  private RunConfigOverrides() {}

  public static Map<String, ConfigValue> parse(List<String> args) {
    if (args == null || args.isEmpty()) {
      return Map.of();
    }
    if (args.size() == 1 && args.get(0).strip().endsWith(".toml")) {
      Path file = Path.of(args.get(0).strip());
      if (!Files.isRegularFile(file)) {
        throw new CliException("--run-config file " + file + " not found");
      }
      return ConfigValues.flatten(TomlFiles.read(file), file.toString());
    }
    Map<String, ConfigValue> values = new LinkedHashMap<>();
    for (String arg : args) {
      values.putAll(parsePairs(arg));
    }
    return values;
  }

  private static Map<String, ConfigValue> parsePairs(String arg) {
    StringBuilder toml = new StringBuilder();
    Matcher matcher = PAIR.matcher(arg);
    int end = 0;
    while (matcher.find()) {
      String skipped = arg.substring(end, matcher.start());
      if (!skipped.isBlank()) {
        throw notAPair(skipped.strip());
      }
      toml.append(matcher.group(1)).append(" = ").append(matcher.group(2)).append('\n');
      end = matcher.end();
    }
    if (!arg.substring(end).isBlank()) {
      throw notAPair(arg.substring(end).strip());
    }
    if (arg.strip().endsWith(".toml")) {
      throw new CliException("--run-config: a .toml file cannot be combined with key=value pairs");
    }
    JsonNode table = TomlFiles.parse(toml.toString(), "--run-config '" + arg + "' (quote string values: key=\"text\")");
    return ConfigValues.flatten(table, "--run-config");
  }

  private static CliException notAPair(String text) {
    return new CliException("--run-config: '" + text + "' is not key=value (e.g. 'num-server-rounds=3 local-epochs=1')", 2);
  }
}
