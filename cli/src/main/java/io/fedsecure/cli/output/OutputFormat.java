package io.fedsecure.cli.output;

/** {@code --format} of listings, as in Flower. */
public enum OutputFormat {
  table,
  json
}
