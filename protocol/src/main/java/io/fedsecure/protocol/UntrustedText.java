package io.fedsecure.protocol;

/**
 * Text that came from the other side of the wire (a node's error message, an instruction id it
 * named, a metric name) made safe to log, store and print: control and format characters (escape
 * sequences, new lines, bidirectional overrides) are shown as {@code \\uXXXX}, so they can neither
 * forge log lines nor drive a terminal, and the text is cut at a bound so that it cannot flood a
 * log or a database.
 */
public final class UntrustedText {

  /** Enough for any honest error message or id. */
  public static final int MAX_CHARS = 300;

  private UntrustedText() {}

  /** {@code text} escaped and cut at {@link #MAX_CHARS}: for what a node sent. */
  public static String clean(String text) {
    return escape(text, MAX_CHARS);
  }

  /**
   * {@code text} escaped but not cut: for text that is bounded where it is made but passed through
   * a database, such as run log lines that {@code flwr log} prints.
   */
  public static String printable(String text) {
    return escape(text, Integer.MAX_VALUE);
  }

  private static String escape(String text, int maxChars) {
    if (text == null) {
      return "";
    }
    int cut = Math.min(text.length(), maxChars);
    if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) {
      cut--;
    }
    StringBuilder b = new StringBuilder(Math.min(cut, 4096) + 16);
    for (int i = 0; i < cut; i++) {
      char c = text.charAt(i);
      int type = Character.getType(c);
      boolean unsafe =
          type == Character.CONTROL
              || type == Character.FORMAT
              || type == Character.LINE_SEPARATOR
              || type == Character.PARAGRAPH_SEPARATOR
              || (type == Character.SURROGATE && !validPair(text, i, cut));
      if (unsafe) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
        if (Character.isHighSurrogate(c)) {
          b.append(text.charAt(++i));
        }
      }
    }
    if (cut < text.length()) {
      b.append("... (").append(text.length() - cut).append(" more characters)");
    }
    return b.toString();
  }

  private static boolean validPair(String text, int i, int end) {
    char c = text.charAt(i);
    return Character.isHighSurrogate(c)
        && i + 1 < end
        && Character.isLowSurrogate(text.charAt(i + 1));
  }
}
