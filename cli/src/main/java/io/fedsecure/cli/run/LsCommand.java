package io.fedsecure.cli.run;

import io.fedsecure.cli.CliEnvironment;
import io.fedsecure.cli.config.FederationTarget;
import io.fedsecure.cli.output.FormatOption;
import io.fedsecure.cli.output.TextTable;
import io.fedsecure.proto.ConfigValue;
import io.fedsecure.proto.control.ListRunsResponse;
import io.fedsecure.proto.control.RunInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "ls", mixinStandardHelpOptions = true, description = "List runs.")
public final class LsCommand implements Callable<Integer> {

  private final CliEnvironment environment;

  @Mixin FederationTarget target;

  @Mixin FormatOption format;

  LsCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    format.print(target.connect().listRuns(), LsCommand::table, environment.out());
    return 0;
  }

  private static TextTable table(ListRunsResponse runs) {
    TextTable table = new TextTable("RUN ID", "STATUS", "ROUNDS", "CREATED", "FINAL ACCURACY");
    for (RunInfo run : runs.getRunsList()) {
      table.row(
          Long.toUnsignedString(run.getRunId()),
          RunStatusText.of(run.getStatus()),
          roundsDone(run),
          run.getCreatedAt(),
          RunSummary.finalAccuracy(run));
    }
    return table;
  }

  private static String roundsDone(RunInfo run) {
    ConfigValue planned = run.getRunConfigMap().get("num-server-rounds");
    return planned != null && planned.getKindCase() == ConfigValue.KindCase.INT_VALUE
        ? run.getRoundsCount() + "/" + planned.getIntValue()
        : Integer.toString(run.getRoundsCount());
  }
}
