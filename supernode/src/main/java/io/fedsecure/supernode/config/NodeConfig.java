package io.fedsecure.supernode.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fedsecure.proto.ConfigValue;
import io.fedsecure.protocol.config.ConfigArguments;
import io.fedsecure.protocol.config.ConfigSyntaxException;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The node's own settings from {@code --node-config}, in the syntax {@code flwr run --run-config}
 * shares ({@link ConfigArguments}): space-separated TOML pairs ({@code
 * dataset-path="datasets/cifar10_part_1" node-id="node-1"}) or the path of a .toml file. Immutable.
 */
public final class NodeConfig {

  private static final String PAIRS_EXAMPLE =
      "'dataset-path=\"datasets/cifar10_part_1\" node-id=\"node-1\" encryption-key=\"encryption_keys/node-1_key.bin\"'";

  /** Shown whenever the operator needs to see what a correct --node-config looks like. */
  public static final String EXAMPLE = "--node-config " + PAIRS_EXAMPLE;

  private static final ConfigArguments SYNTAX = new ConfigArguments("--node-config", PAIRS_EXAMPLE);

  private final Map<String, ConfigValue> values;

  private NodeConfig(Map<String, ConfigValue> values) {
    this.values = values;
  }

  /** Parses the --node-config argument: a .toml file path or space-separated TOML pairs. */
  public static NodeConfig parse(String argument) {
    if (argument == null || argument.isBlank()) {
      throw new NodeConfigException("--node-config is required, e.g. " + EXAMPLE);
    }
    try {
      return new NodeConfig(SYNTAX.parse(argument));
    } catch (ConfigSyntaxException e) {
      throw new NodeConfigException(e.getMessage());
    }
  }

  /** The string value of {@code key}; fails with the expected form when it is missing. */
  public String string(String key) {
    ConfigValue value = values.get(key);
    if (value == null) {
      throw new NodeConfigException(
          "node-config is missing key " + key + " (e.g. " + EXAMPLE + ")");
    }
    if (value.getKindCase() != ConfigValue.KindCase.STRING_VALUE) {
      throw new NodeConfigException(
          "node-config key "
              + key
              + " must be a quoted string, e.g. "
              + key
              + "=\""
              + toml(value)
              + "\"");
    }
    if (value.getStringValue().isBlank()) {
      throw new NodeConfigException("node-config key " + key + " is empty");
    }
    return value.getStringValue();
  }

  public Optional<String> optionalString(String key) {
    return values.containsKey(key) ? Optional.of(string(key)) : Optional.empty();
  }

  /** An integer value; {@code defaultValue} when the key is absent. */
  public int intValue(String key, int defaultValue) {
    ConfigValue value = values.get(key);
    if (value == null) {
      return defaultValue;
    }
    if (value.getKindCase() == ConfigValue.KindCase.INT_VALUE
        && value.getIntValue() >= Integer.MIN_VALUE
        && value.getIntValue() <= Integer.MAX_VALUE) {
      return (int) value.getIntValue();
    }
    throw new NodeConfigException(
        "node-config key "
            + key
            + " must be an integer without quotes, e.g. "
            + key
            + "="
            + defaultValue
            + ", got "
            + toml(value));
  }

  @Override
  public String toString() {
    // The values are paths and names, no secrets; the key files themselves are never read here.
    return values.entrySet().stream()
        .map(entry -> entry.getKey() + "=" + toml(entry.getValue()))
        .collect(Collectors.joining(" ", "NodeConfig{", "}"));
  }

  /** The value as TOML writes it: strings quoted, numbers and booleans bare. */
  private static String toml(ConfigValue value) {
    return switch (value.getKindCase()) {
      case STRING_VALUE -> quoted(value.getStringValue());
      case INT_VALUE -> Long.toString(value.getIntValue());
      case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      case KIND_NOT_SET -> "nothing";
    };
  }

  private static String quoted(String text) {
    try {
      return JsonMapper.builder().build().writeValueAsString(text);
    } catch (JacksonException e) {
      return '"' + text + '"';
    }
  }
}
