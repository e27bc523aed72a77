package io.fedsecure.cli.output;

import java.util.Locale;

/** Flower's words for run and node states: the enum name without its prefix, in lower case. */
public final class StatusWords {

  private StatusWords() {}

  /** "unknown" for the unspecified value and for values this CLI does not know yet. */
  public static String of(Enum<?> status, String prefix) {
    String name = status.name();
    if (!name.startsWith(prefix) || name.equals(prefix + "UNSPECIFIED")) {
      return "unknown";
    }
    return name.substring(prefix.length()).toLowerCase(Locale.ROOT);
  }
}
