package io.fedsecure.cli.supernode;

import io.fedsecure.cli.CliEnvironment;
import io.fedsecure.cli.config.ConnectionOptions;
import io.fedsecure.cli.config.FederationTarget;
import io.fedsecure.cli.http.ProtoJson;
import io.fedsecure.cli.output.OutputFormat;
import io.fedsecure.cli.output.TextTable;
import io.fedsecure.proto.control.ListNodesResponse;
import io.fedsecure.proto.control.NodeInfo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List registered SuperNodes.")
public final class ListCommand implements Callable<Integer> {

  private final CliEnvironment environment;

  @Parameters(index = "0", arity = "0..1", defaultValue = ".", paramLabel = "APP", description = "App directory holding pyproject.toml (default: ${DEFAULT-VALUE}).")
  Path appDir;

  @Parameters(index = "1", arity = "0..1", paramLabel = "FEDERATION", description = "Federation in [tool.flwr.federations] (default: its 'default').")
  String federation;

  @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT", description = "table or json (default: ${DEFAULT-VALUE}).")
  OutputFormat format;

  @Mixin ConnectionOptions connection;

  ListCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    ListNodesResponse nodes = FederationTarget.connect(environment, appDir, federation, connection).listNodes();
    if (format == OutputFormat.json) {
      environment.out().println(ProtoJson.pretty(nodes));
      environment.out().flush();
      return 0;
    }
    TextTable table = new TextTable("NODE ID", "NAME", "STATUS", "LAST SEEN");
    for (NodeInfo node : nodes.getNodesList()) {
      table.row(
          Long.toUnsignedString(node.getNodeId()),
          node.getName().isEmpty() ? "-" : node.getName(),
          NodeStatusText.of(node.getStatus()),
          node.getLastSeenAt().isEmpty() ? "never" : node.getLastSeenAt());
    }
    table.print(environment.out());
    return 0;
  }
}
