package io.fedsecure.cli.output;

/** The values of {@link FormatOption}. */
enum OutputFormat {
  table,
  json
}
