package io.fedsecure.loadgen;

import io.fedsecure.crypto.auth.RequestSigner;
import io.fedsecure.crypto.envelope.EnvelopeCipher;
import io.fedsecure.crypto.keys.EncryptionKeyFiles;
import io.fedsecure.crypto.keys.KeyFileException;
import io.fedsecure.loadgen.synthetic.SyntheticTrainer;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.supernode.config.SuperNodeProperties;
import io.fedsecure.supernode.connection.Backoff;
import io.fedsecure.supernode.connection.FailureClassifier;
import io.fedsecure.supernode.connection.FleetChannelFactory;
import io.fedsecure.supernode.connection.FleetClient;
import io.fedsecure.supernode.connection.NodeCredentials;
import io.fedsecure.supernode.connection.SigningInterceptor;
import io.fedsecure.supernode.connection.SuperLinkAddress;
import io.fedsecure.supernode.connection.SuperLinkSession;
import io.fedsecure.supernode.connection.SuperNodeRunner;
import io.fedsecure.supernode.task.InstructionWorker;
import io.fedsecure.supernode.task.TaskProcessor;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.springframework.util.unit.DataSize;

/**
 * One SuperNode as the Spring configuration wires it (ConnectionConfiguration, TaskConfiguration),
 * built by hand so that a thousand fit in one JVM: its own mutual-TLS channel, identity key and
 * request signer, session (activation, heartbeats, instruction stream), task processor with its own
 * weight key, and the {@link SyntheticTrainer} instead of DJL. gRPC's shared Netty event loop and
 * executor serve all channels; task work runs on the load generator's pool, in order per node.
 */
final class SimulatedNode {

  private final LoadGenMaterial.Node node;
  private final ManagedChannel channel;
  private final SuperLinkSession session;
  private final SuperNodeRunner runner;

  /**
   * What every simulated node shares: where the SuperLink is, the SuperNode settings, the CA
   * certificate, and the pool that runs task work.
   */
  record Shared(
      SuperLinkAddress address, SuperNodeProperties properties, Path caCertificate, Executor pool) {

    /**
     * The SuperNode's application.yml values, with longer deadlines: on a loaded two-core machine a
     * thousand nodes' calls queue behind each other.
     */
    static SuperNodeProperties properties(SuperLinkAddress address, DataSize maxMessageSize) {
      return new SuperNodeProperties(
          address.toString(),
          null,
          null,
          null,
          null,
          null,
          0,
          Duration.ZERO,
          false,
          Duration.ofSeconds(20),
          new SuperNodeProperties.Reconnect(Duration.ofSeconds(1), Duration.ofSeconds(10)),
          new SuperNodeProperties.Channel(
              maxMessageSize,
              Duration.ofSeconds(30),
              Duration.ofSeconds(20),
              Duration.ofSeconds(60)),
          new SuperNodeProperties.Tasks(
              DataSize.ofMegabytes(1), DataSize.ofMegabytes(256), Duration.ofSeconds(120)));
    }
  }

  SimulatedNode(
      LoadGenMaterial.Node node,
      Shared shared,
      TensorLayout layout,
      LatencyRecorder latencies,
      GlobalModelWitness witness)
      throws KeyFileException {
    this.node = node;
    Clock clock = Clock.systemUTC();
    SuperLinkAddress address = shared.address();
    SuperNodeProperties properties = shared.properties();
    NodeCredentials credentials =
        new NodeCredentials(
            shared.caCertificate(), node.certificate(), node.certificateKey(), node.identityKey());
    this.channel = FleetChannelFactory.create(address, credentials, properties.channel(), false);
    FleetClient client =
        new FleetClient(
            channel,
            new SigningInterceptor(new RequestSigner(node.identity(), clock)),
            properties.channel().callTimeout(),
            properties.tasks().pushTimeout(),
            (int) properties.tasks().chunkSize().toBytes());
    SuperNodeProperties.Reconnect reconnect = properties.reconnect();
    TaskProcessor processor =
        new TaskProcessor(
            new SyntheticTrainer(layout, node.index(), witness::accept),
            EncryptionKeyFiles.load(node.encryptionKey()),
            new EnvelopeCipher(),
            clock);
    InstructionWorker worker =
        new InstructionWorker(
            processor,
            client,
            new Backoff(reconnect.baseDelay(), reconnect.maxDelay(), new SecureRandom()),
            new SerialExecutor(shared.pool()),
            latencies);
    this.session =
        new SuperLinkSession(
            client,
            new FailureClassifier(address, credentials, Clock.systemUTC()),
            node.name(),
            properties,
            latencies.timing(worker));
    this.runner = new SuperNodeRunner(session, Duration.ofSeconds(10));
  }

  String name() {
    return node.name();
  }

  void start() {
    runner.start();
  }

  boolean activated() {
    return session.activeNode().isPresent();
  }

  /** Completes exceptionally if the node gave up (e.g. refused by the SuperLink). */
  CompletableFuture<Void> termination() {
    return runner.termination();
  }

  /** Asks the session to deactivate and end, without waiting: many nodes stop in parallel. */
  void requestStop() {
    session.stop();
  }

  void awaitStop() throws InterruptedException {
    runner.stop();
    channel.shutdown();
    if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
      channel.shutdownNow();
    }
  }
}
