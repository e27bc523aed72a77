package io.fedsecure.supernode.task;

import io.fedsecure.crypto.envelope.EnvelopeCipher;
import io.fedsecure.crypto.envelope.WeightKey;
import io.fedsecure.crypto.keys.EncryptionKeyFiles;
import io.fedsecure.crypto.keys.KeyFileException;
import io.fedsecure.supernode.NodeStartupException;
import io.fedsecure.supernode.config.NodeConfig;
import io.fedsecure.supernode.config.SuperNodeProperties;
import io.fedsecure.supernode.connection.Backoff;
import io.fedsecure.supernode.connection.FleetClient;
import io.fedsecure.supernode.training.LocalTrainer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Task handling; the {@link LocalTrainer} bean comes from the training package. */
@Configuration(proxyBeanMethods = false)
public class TaskConfiguration {

  /** The node's weight key, read once at start-up so a bad key file stops the node immediately. */
  @Bean
  public WeightKey weightKey(NodeConfig nodeConfig) {
    Path file = Path.of(nodeConfig.string("encryption-key"));
    try {
      return EncryptionKeyFiles.load(file);
    } catch (KeyFileException e) {
      throw new NodeStartupException("node-config encryption-key: " + e.getMessage());
    }
  }

  @Bean
  public TaskProcessor taskProcessor(LocalTrainer localTrainer, WeightKey weightKey) {
    // Here rather than in TaskProcessor: the load generator builds one processor per simulated
    // node.
    TaskWarmup.warmUp(localTrainer.layout());
    return new TaskProcessor(localTrainer, weightKey, new EnvelopeCipher(), Clock.systemUTC());
  }

  @Bean
  public InstructionWorker instructionWorker(
      TaskProcessor taskProcessor, FleetClient fleetClient, SuperNodeProperties properties) {
    SuperNodeProperties.Reconnect reconnect = properties.reconnect();
    return new InstructionWorker(
        taskProcessor,
        fleetClient,
        new Backoff(reconnect.baseDelay(), reconnect.maxDelay(), new SecureRandom()));
  }
}
