package io.fedsecure.cli.supernode;

import io.fedsecure.cli.CliEnvironment;
import io.fedsecure.cli.config.FederationTarget;
import io.fedsecure.cli.output.Ids;
import io.fedsecure.proto.control.NodeInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "unregister",
    mixinStandardHelpOptions = true,
    description = "Unregister a SuperNode; it can no longer connect.")
public final class UnregisterCommand implements Callable<Integer> {

  private final CliEnvironment environment;

  @Parameters(
      index = "0",
      paramLabel = "NODE_ID",
      description = "Node id as shown by 'flwr supernode list'.")
  String nodeId;

  @Mixin FederationTarget target;

  UnregisterCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    long id = Ids.parse(nodeId, "node id");
    NodeInfo node = target.connect().unregisterNode(id);
    String name = node.getName().isEmpty() ? "" : " (" + node.getName() + ")";
    environment
        .out()
        .println("SuperNode " + Long.toUnsignedString(id) + name + " unregistered successfully");
    environment.out().flush();
    return 0;
  }
}
