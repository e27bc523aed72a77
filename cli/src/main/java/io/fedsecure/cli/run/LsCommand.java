package io.fedsecure.cli.run;

import io.fedsecure.cli.CliEnvironment;
import io.fedsecure.cli.config.ConnectionOptions;
import io.fedsecure.cli.config.FederationTarget;
import io.fedsecure.cli.http.ProtoJson;
import io.fedsecure.cli.output.OutputFormat;
import io.fedsecure.cli.output.TextTable;
import io.fedsecure.proto.ConfigValue;
import io.fedsecure.proto.control.ListRunsResponse;
import io.fedsecure.proto.control.RunInfo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ls", mixinStandardHelpOptions = true, description = "List runs.")
public final class LsCommand implements Callable<Integer> {

  private final CliEnvironment environment;

  @Parameters(index = "0", arity = "0..1", defaultValue = ".", paramLabel = "APP", description = "App directory holding pyproject.toml (default: ${DEFAULT-VALUE}).")
  Path appDir;

  @Parameters(index = "1", arity = "0..1", paramLabel = "FEDERATION", description = "Federation in [tool.flwr.federations] (default: its 'default').")
  String federation;

  @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT", description = "table or json (default: ${DEFAULT-VALUE}).")
  OutputFormat format;

  @Mixin ConnectionOptions connection;

  LsCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    ListRunsResponse runs = FederationTarget.connect(environment, appDir, federation, connection).listRuns();
    if (format == OutputFormat.json) {
      environment.out().println(ProtoJson.pretty(runs));
      environment.out().flush();
      return 0;
    }
    TextTable table = new TextTable("RUN ID", "STATUS", "ROUNDS", "CREATED", "FINAL ACCURACY");
    for (RunInfo run : runs.getRunsList()) {
      table.row(
          Long.toUnsignedString(run.getRunId()),
          RunStatusText.of(run.getStatus()),
          roundsDone(run),
          run.getCreatedAt(),
          RunSummary.finalAccuracy(run));
    }
    table.print(environment.out());
    return 0;
  }

  private static String roundsDone(RunInfo run) {
    ConfigValue planned = run.getRunConfigMap().get("num-server-rounds");
    return planned != null && planned.getKindCase() == ConfigValue.KindCase.INT_VALUE
        ? run.getRoundsCount() + "/" + planned.getIntValue()
        : Integer.toString(run.getRoundsCount());
  }
}
