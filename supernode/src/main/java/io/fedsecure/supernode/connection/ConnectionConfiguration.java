package io.fedsecure.supernode.connection;

import io.fedsecure.crypto.auth.RequestSigner;
import io.fedsecure.crypto.keys.EcPrivateKeys;
import io.fedsecure.crypto.keys.KeyFileException;
import io.fedsecure.supernode.NodeStartupException;
import io.fedsecure.supernode.config.NodeConfig;
import io.fedsecure.supernode.config.SuperNodeProperties;
import io.grpc.ManagedChannel;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class ConnectionConfiguration {
  private static final Logger log = LoggerFactory.getLogger(ConnectionConfiguration.class);

  @Bean
  public SuperLinkAddress superLinkAddress(SuperNodeProperties properties) {
    return SuperLinkAddress.parse(properties.superlink());
  }

  @Bean
  public NodeCredentials nodeCredentials(SuperNodeProperties properties, NodeConfig nodeConfig) {
    return NodeCredentials.resolve(properties, nodeConfig);
  }

  @Bean
  public RequestSigner requestSigner(NodeCredentials credentials) {
    try {
      return new RequestSigner(
          EcPrivateKeys.readKeyPair(credentials.identityKey()), Clock.systemUTC());
    } catch (KeyFileException e) {
      throw new NodeStartupException("--auth-supernode-private-key: " + e.getMessage());
    }
  }

  @Bean
  public ManagedChannel fleetChannel(
      SuperLinkAddress address, NodeCredentials credentials, SuperNodeProperties properties) {
    if (properties.insecure()) {
      log.warn(
          "!!! --insecure: talking to the SuperLink at {} WITHOUT TLS. Development only: anyone on the "
              + "network sees and can tamper with this connection. !!!",
          address);
    }
    return FleetChannelFactory.create(
        address, credentials, properties.channel(), properties.insecure());
  }

  @Bean
  public FleetClient fleetClient(
      ManagedChannel fleetChannel, RequestSigner requestSigner, SuperNodeProperties properties) {
    return new FleetClient(
        fleetChannel,
        new SigningInterceptor(requestSigner),
        properties.channel().callTimeout(),
        properties.tasks().pushTimeout(),
        (int) properties.tasks().chunkSize().toBytes());
  }

  @Bean
  public FailureClassifier failureClassifier(
      SuperLinkAddress address, NodeCredentials credentials) {
    return new FailureClassifier(address, credentials, Clock.systemUTC());
  }

  @Bean
  public SuperLinkSession superLinkSession(
      FleetClient fleetClient,
      FailureClassifier failureClassifier,
      NodeConfig nodeConfig,
      SuperNodeProperties properties,
      InstructionHandler instructionHandler) {
    return new SuperLinkSession(
        fleetClient,
        failureClassifier,
        nodeConfig.string("node-id"),
        properties,
        instructionHandler);
  }

  @Bean
  public SuperNodeRunner superNodeRunner(SuperLinkSession superLinkSession) {
    return new SuperNodeRunner(superLinkSession, Duration.ofSeconds(10));
  }
}
