package io.fedsecure.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsecure.cli.config.ConfigException;
import io.fedsecure.cli.config.ConfigResolver;
import io.fedsecure.cli.config.TomlFiles;
import io.fedsecure.proto.ConfigValue;
import io.fedsecure.protocol.config.ConfigSyntaxException;
import io.fedsecure.protocol.config.TomlConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The app's default run config: {@code [tool.flwr.app.config]} in its pyproject.toml. */
public final class RunConfigDefaults {

  private RunConfigDefaults() {}

  /** Empty when the app has no pyproject.toml: the SuperLink then applies its own defaults. */
  public static Map<String, ConfigValue> read(Path appDir) {
    Path pyproject = appDir.resolve(ConfigResolver.PYPROJECT);
    if (!Files.isRegularFile(pyproject)) {
      return Map.of();
    }
    JsonNode config =
        TomlFiles.read(pyproject).path("tool").path("flwr").path("app").path("config");
    try {
      return config.isObject() ? TomlConfig.flatten(config) : Map.of();
    } catch (ConfigSyntaxException e) {
      throw new ConfigException(pyproject + " [tool.flwr.app.config]: " + e.getMessage());
    }
  }
}
