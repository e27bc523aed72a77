package io.fedsecure.cli.supernode;

import io.fedsecure.cli.CliEnvironment;
import io.fedsecure.cli.config.FederationTarget;
import io.fedsecure.cli.output.FormatOption;
import io.fedsecure.cli.output.StatusWords;
import io.fedsecure.cli.output.TextTable;
import io.fedsecure.proto.control.ListNodesResponse;
import io.fedsecure.proto.control.NodeInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "list",
    aliases = "ls",
    mixinStandardHelpOptions = true,
    description = "List registered SuperNodes.")
public final class ListCommand implements Callable<Integer> {

  private final CliEnvironment environment;

  @Mixin FederationTarget target;

  @Mixin FormatOption format;

  ListCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    format.print(target.connect().listNodes(), ListCommand::table, environment.out());
    return 0;
  }

  private static TextTable table(ListNodesResponse nodes) {
    TextTable table = new TextTable("NODE ID", "NAME", "STATUS", "LAST SEEN");
    for (NodeInfo node : nodes.getNodesList()) {
      table.row(
          Long.toUnsignedString(node.getNodeId()),
          node.getName().isEmpty() ? "-" : node.getName(),
          StatusWords.of(node.getStatus(), "NODE_STATUS_"),
          node.getLastSeenAt().isEmpty() ? "never" : node.getLastSeenAt());
    }
    return table;
  }
}
