package io.fedsecure.cli.run;

import io.fedsecure.proto.ConfigValue;
import java.util.LinkedHashMap;
import java.util.Map;

/** The app's defaults with the operator's overrides on top. */
public final class RunConfigOverlay {

  private RunConfigOverlay() {}

  /**
   * Keys the app does not define still pass: the SuperLink knows settings (min-train-nodes,
   * round-timeout) an app need not list, and rejects unknown ones itself. An integer given for a
   * float default ({@code learning-rate=1}) is widened, since TOML would otherwise make it an
   * integer the server refuses.
   */
  public static Map<String, ConfigValue> overlay(
      Map<String, ConfigValue> defaults, Map<String, ConfigValue> overrides) {
    Map<String, ConfigValue> merged = new LinkedHashMap<>(defaults);
    overrides.forEach(
        (key, value) -> {
          ConfigValue base = defaults.get(key);
          boolean widen =
              base != null
                  && base.getKindCase() == ConfigValue.KindCase.DOUBLE_VALUE
                  && value.getKindCase() == ConfigValue.KindCase.INT_VALUE;
          merged.put(
              key,
              widen ? ConfigValue.newBuilder().setDoubleValue(value.getIntValue()).build() : value);
        });
    return merged;
  }
}
