package io.fedsecure.cli.supernode;

import io.fedsecure.cli.CliEnvironment;
import io.fedsecure.cli.config.ConnectionOptions;
import io.fedsecure.cli.config.FederationTarget;
import io.fedsecure.cli.output.Ids;
import io.fedsecure.proto.control.NodeInfo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "unregister", mixinStandardHelpOptions = true, description = "Unregister a SuperNode; it can no longer connect.")
public final class UnregisterCommand implements Callable<Integer> {

  private final CliEnvironment environment;

  @Parameters(index = "0", paramLabel = "NODE_ID", description = "Node id as shown by 'flwr supernode list'.")
  String nodeId;

  @Parameters(index = "1", arity = "0..1", defaultValue = ".", paramLabel = "APP", description = "App directory holding pyproject.toml (default: ${DEFAULT-VALUE}).")
  Path appDir;

  @Parameters(index = "2", arity = "0..1", paramLabel = "FEDERATION", description = "Federation in [tool.flwr.federations] (default: its 'default').")
  String federation;

  @Mixin ConnectionOptions connection;

  UnregisterCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    long id = Ids.parse(nodeId, "node id");
    NodeInfo node = FederationTarget.connect(environment, appDir, federation, connection).unregisterNode(id);
    String name = node.getName().isEmpty() ? "" : " (" + node.getName() + ")";
    environment.out().println("SuperNode " + Long.toUnsignedString(id) + name + " unregistered successfully");
    environment.out().flush();
    return 0;
  }
}
