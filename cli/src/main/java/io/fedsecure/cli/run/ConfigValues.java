package io.fedsecure.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsecure.cli.CliException;
import io.fedsecure.proto.ConfigValue;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * TOML tables to flat run-config values, as Flower flattens them: nested keys joined with dots;
 * integers, floats, strings and booleans only (what a ConfigRecord holds).
 */
public final class ConfigValues {

  private ConfigValues() {}

  public static Map<String, ConfigValue> flatten(JsonNode table, String origin) {
    Map<String, ConfigValue> values = new LinkedHashMap<>();
    flattenInto(values, "", table, origin);
    return values;
  }

  private static void flattenInto(Map<String, ConfigValue> values, String prefix, JsonNode table, String origin) {
    for (Iterator<Map.Entry<String, JsonNode>> it = table.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String key = prefix + entry.getKey();
      JsonNode node = entry.getValue();
      if (node.isObject()) {
        flattenInto(values, key + ".", node, origin);
      } else {
        values.put(key, toConfigValue(key, node, origin));
      }
    }
  }

  static ConfigValue toConfigValue(String key, JsonNode node, String origin) {
    if (node.isIntegralNumber()) {
      if (!node.canConvertToLong()) {
        throw new CliException("run-config value " + key + " in " + origin + " does not fit in 64 bits");
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
    throw new CliException(
        "run-config value " + key + " in " + origin + " must be an integer, float, string or boolean");
  }
}
