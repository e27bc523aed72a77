package io.fedsecure.cli.run;

import io.fedsecure.cli.output.Ids;
import picocli.CommandLine.Parameters;

/** The {@code RUN_ID} argument of the commands that act on one run. */
final class RunIdArgument {

  @Parameters(
      index = "0",
      paramLabel = "RUN_ID",
      description = "Run id as printed by 'flwr run' or 'flwr ls'.")
  private String text;

  long value() {
    return Ids.parse(text, "run id");
  }
}
