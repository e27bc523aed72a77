package io.fedsecure.cli.keygen;

import io.fedsecure.cli.CliException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * How many nodes a per-node keygen command writes for: {@code N} or {@code --count N}, as Flower's
 * {@code generate_*.sh} scripts take it (default 2, at most {@link Counts#MAX}).
 */
final class NodeCount {

  private static final int DEFAULT = 2;

  @Option(
      names = "--count",
      paramLabel = "N",
      description = "Number of nodes, numbered 1..N (default: 2).")
  private Integer option;

  @Parameters(arity = "0..1", paramLabel = "N", description = "The same as --count N.")
  private Integer positional;

  int value() {
    if (option != null && positional != null && !option.equals(positional)) {
      throw new CliException(
          "the count is given twice (" + positional + " and --count " + option + "); give it once",
          2);
    }
    int count = option != null ? option : positional != null ? positional : DEFAULT;
    return Counts.require(count, 1, "--count");
  }
}
