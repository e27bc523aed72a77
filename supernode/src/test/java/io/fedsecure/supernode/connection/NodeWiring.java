package io.fedsecure.supernode.connection;

import io.fedsecure.crypto.auth.RequestSigner;
import io.fedsecure.supernode.config.NodeConfig;
import io.fedsecure.supernode.config.SuperNodeProperties;
import io.grpc.ManagedChannel;

/** The connection beans built by the production configuration, without a Spring context. */
final class NodeWiring implements AutoCloseable {
  final SuperNodeProperties properties;
  final NodeConfig nodeConfig;
  final NodeCredentials credentials;
  final RequestSigner signer;
  final ManagedChannel channel;
  final FleetClient client;
  private final ConnectionConfiguration configuration = new ConnectionConfiguration();
  private final SuperLinkAddress address;

  NodeWiring(SuperNodeProperties properties) {
    this.properties = properties;
    this.nodeConfig = NodeConfig.parse(properties.nodeConfig());
    this.address = configuration.superLinkAddress(properties);
    this.credentials = configuration.nodeCredentials(properties, nodeConfig);
    this.signer = configuration.requestSigner(credentials);
    this.channel = configuration.fleetChannel(address, credentials, properties);
    this.client = configuration.fleetClient(channel, signer, properties);
  }

  SuperLinkSession session(InstructionHandler handler) {
    return configuration.superLinkSession(
        client,
        configuration.failureClassifier(address, credentials),
        nodeConfig,
        properties,
        handler);
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }

  /** Drops instructions: lifecycle tests do not send any. */
  static final InstructionHandler IGNORE =
      new InstructionHandler() {
        @Override
        public void onInstruction(
            SessionContext session,
            io.fedsecure.proto.fleet.Instruction instruction,
            byte[] envelope) {}

        @Override
        public void onBrokenTransfer(
            SessionContext session,
            io.fedsecure.proto.fleet.Instruction instruction,
            String problem) {}
      };
}
