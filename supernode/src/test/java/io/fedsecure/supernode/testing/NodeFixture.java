package io.fedsecure.supernode.testing;

import io.fedsecure.crypto.keys.EcKeys;
import io.fedsecure.crypto.keys.KeyFileException;
import io.fedsecure.crypto.pki.ClientRole;
import io.fedsecure.crypto.testing.TestPki;
import io.fedsecure.supernode.config.SuperNodeProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.util.unit.DataSize;

/**
 * One node's files as the deployment scripts would write them: a test CA with the SuperLink's
 * certificate, the node's TLS client certificate, its OpenSSH identity key (and .pub), and, when
 * asked for, its weight key.
 */
public final class NodeFixture {
  public final Path dir;
  public final TestPki pki;
  public final KeyPair identity;
  public final Path identityKey;
  public final TestPki.ClientFiles tls;
  public final String nodeName;

  private NodeFixture(
      Path dir,
      TestPki pki,
      KeyPair identity,
      Path identityKey,
      TestPki.ClientFiles tls,
      String nodeName) {
    this.dir = dir;
    this.pki = pki;
    this.identity = identity;
    this.identityKey = identityKey;
    this.tls = tls;
    this.nodeName = nodeName;
  }

  public static NodeFixture create(Path dir, String nodeName) throws Exception {
    Files.createDirectories(dir);
    TestPki pki = TestPki.create(dir);
    KeyPair identity = EcKeys.generateP384();
    Path identityKey = dir.resolve("client_credentials_1");
    try {
      EcKeys.writeOpenSsh(identity, identityKey, nodeName);
    } catch (KeyFileException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    return new NodeFixture(
        dir, pki, identity, identityKey, pki.client(nodeName, ClientRole.SUPERNODE), nodeName);
  }

  /**
   * A SuperLink for this node's CA; the node's key is registered as {@code nodeId} unless negative.
   */
  public FakeSuperLink superLink(long nodeId) {
    FakeSuperLink link =
        FakeSuperLink.start(pki.serverCertFile(), pki.serverKeyFile(), pki.caCertFile(), 0);
    if (nodeId >= 0) {
      link.register(identity.getPublic(), nodeId);
    }
    return link;
  }

  public String nodeConfig(Path encryptionKey) {
    return "dataset-path=\"unused\" node-id=\""
        + nodeName
        + "\" encryption-key=\""
        + encryptionKey
        + "\"";
  }

  /** Settings as the command line and application.yml would give them, with test-sized delays. */
  public SuperNodeProperties properties(int port, int maxRetries, Duration maxWaitTime) {
    return new SuperNodeProperties(
        "127.0.0.1:" + port,
        pki.caCertFile(),
        identityKey,
        tls.certFile(),
        tls.keyFile(),
        nodeConfig(dir.resolve("unused_key.bin")),
        maxRetries,
        maxWaitTime,
        false,
        Duration.ofSeconds(20),
        new SuperNodeProperties.Reconnect(Duration.ofMillis(20), Duration.ofMillis(200)),
        new SuperNodeProperties.Channel(
            DataSize.ofMegabytes(8),
            Duration.ofSeconds(10),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5)),
        new SuperNodeProperties.Tasks(
            DataSize.ofKilobytes(1), DataSize.ofMegabytes(64), Duration.ofSeconds(10)));
  }

  /** The same settings as Spring properties. */
  public Map<String, String> springProperties(int port, Path encryptionKey) {
    Map<String, String> p = new LinkedHashMap<>();
    String prefix = "fedsecure.supernode.";
    p.put(prefix + "superlink", "127.0.0.1:" + port);
    p.put(prefix + "root-certificates", pki.caCertFile().toString());
    p.put(prefix + "auth-supernode-private-key", identityKey.toString());
    p.put(prefix + "ssl-certfile", tls.certFile().toString());
    p.put(prefix + "ssl-keyfile", tls.keyFile().toString());
    p.put(prefix + "node-config", nodeConfig(encryptionKey));
    p.put(prefix + "reconnect.base-delay", "20ms");
    p.put(prefix + "reconnect.max-delay", "200ms");
    p.put(prefix + "tasks.chunk-size", "1KB");
    return p;
  }
}
