package io.fedsecure.cli.run;

import io.fedsecure.cli.CliException;
import io.fedsecure.proto.ConfigValue;
import io.fedsecure.protocol.config.ConfigArguments;
import io.fedsecure.protocol.config.ConfigSyntaxException;
import java.util.List;
import java.util.Map;

/**
 * {@code --run-config}, in the syntax {@code supernode --node-config} shares ({@link
 * ConfigArguments}).
 */
public final class RunConfigOverrides {

  private static final ConfigArguments SYNTAX =
      new ConfigArguments("--run-config", "'num-server-rounds=3 local-epochs=1'");

  private RunConfigOverrides() {}

  public static Map<String, ConfigValue> parse(List<String> args) {
    try {
      return args == null ? Map.of() : SYNTAX.parse(args);
    } catch (ConfigSyntaxException e) {
      throw new CliException(e.getMessage(), 2);
    }
  }
}
