package io.fedsecure.superlink.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsecure.crypto.pki.ClientRole;
import io.fedsecure.crypto.testing.TestPki;
import io.fedsecure.superlink.ListeningPortsReport;
import io.fedsecure.superlink.SuperLinkApplication;
import io.fedsecure.superlink.config.SuperLinkOptions;
import io.fedsecure.superlink.fleet.FleetServer;
import io.fedsecure.superlink.fleet.NodeStreams;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A SuperLink started the way the jar starts it (command-line flags through picocli), on ports 0 of
 * 127.0.0.1, with a fresh test PKI.
 */
public final class SuperLinkFixture implements AutoCloseable {

  private final TestPki pki;
  private final Path dir;
  private final ConfigurableApplicationContext context;
  private final TestPki.ClientFiles operator;
  private final TestPki.ClientFiles nodeCertificate;

  private SuperLinkFixture(TestPki pki, Path dir, ConfigurableApplicationContext context) {
    this.pki = pki;
    this.dir = dir;
    this.context = context;
    this.operator = pki.client("operator-alice", ClientRole.OPERATOR);
    this.nodeCertificate = pki.client("supernode-tls", ClientRole.SUPERNODE);
  }

  /** Starts on a new PKI in {@code dir}; {@code extraArgs} are more flags, e.g. --database FILE. */
  public static SuperLinkFixture start(Path dir, String... extraArgs) {
    return start(TestPki.create(dir), dir, extraArgs);
  }

  /**
   * Starts with {@code settings} as Spring properties that have no flag (e.g.
   * superlink.node-auth.replay-cache-capacity); they are visible only while the context starts.
   */
  public static SuperLinkFixture startWith(
      Path dir, Map<String, String> settings, String... extraArgs) {
    settings.forEach(System::setProperty);
    try {
      return start(dir, extraArgs);
    } finally {
      settings.keySet().forEach(System::clearProperty);
    }
  }

  public static SuperLinkFixture start(TestPki pki, Path dir, String... extraArgs) {
    return start(pki, dir, List.of(), extraArgs);
  }

  /**
   * @param configurations more Spring configuration classes, e.g. beans that observe the SuperLink
   */
  public static SuperLinkFixture start(
      TestPki pki, Path dir, List<Class<?>> configurations, String... extraArgs) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--ssl-ca-certfile", pki.caCertFile().toString(),
                "--ssl-certfile", pki.serverCertFile().toString(),
                "--ssl-keyfile", pki.serverKeyFile().toString(),
                "--fleet-api-address", "127.0.0.1:0",
                "--control-api-address", "127.0.0.1:0",
                "--management-port", "0",
                "--encryption-keys-dir", dir.resolve("encryption_keys").toString()));
    if (!List.of(extraArgs).contains("--database")) {
      args.addAll(List.of("--database", ":memory:"));
    }
    args.addAll(List.of(extraArgs));
    StringWriter errors = new StringWriter();
    SuperLinkOptions.Outcome outcome =
        SuperLinkOptions.parse(
            args.toArray(String[]::new),
            new PrintWriter(new StringWriter()),
            new PrintWriter(errors));
    assertThat(outcome)
        .as("command line refused: %s", errors)
        .isInstanceOf(SuperLinkOptions.Start.class);
    try {
      Files.createDirectories(dir.resolve("encryption_keys"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ConfigurableApplicationContext context =
        SuperLinkApplication.start(
            ((SuperLinkOptions.Start) outcome).options(), configurations.toArray(Class<?>[]::new));
    return new SuperLinkFixture(pki, dir, context);
  }

  public TestPki pki() {
    return pki;
  }

  public Path dir() {
    return dir;
  }

  public int fleetPort() {
    return context.getBean(FleetServer.class).boundAddress().getPort();
  }

  public int controlPort() {
    return context.getBean(ListeningPortsReport.class).controlPort();
  }

  public int managementPort() {
    return context.getBean(ListeningPortsReport.class).managementPort();
  }

  /** The node streams and awaited replies behind the Fleet service. */
  public NodeStreams nodeStreams() {
    return context.getBean(NodeStreams.class);
  }

  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  /** An operator's client certificate (CN operator-alice). */
  public TestPki.ClientFiles operatorCertificate() {
    return operator;
  }

  /** A SuperNode TLS client certificate; node identity is the separate signing key. */
  public TestPki.ClientFiles nodeCertificate() {
    return nodeCertificate;
  }

  public ControlClient operatorClient() {
    return ControlClient.withCertificate(this, operator);
  }

  public FleetClient fleet() {
    return new FleetClient(this);
  }

  @Override
  public void close() {
    context.close();
  }
}
