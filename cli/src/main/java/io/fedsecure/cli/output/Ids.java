package io.fedsecure.cli.output;

import io.fedsecure.cli.CliException;

/** Node and run ids are uint64 on the wire; operators type them as decimal. */
public final class Ids {

  private Ids() {}

  public static long parse(String text, String what) {
    try {
      return Long.parseUnsignedLong(text.strip());
    } catch (NumberFormatException e) {
      throw new CliException(what + " '" + text + "' is not a number", 2);
    }
  }
}
