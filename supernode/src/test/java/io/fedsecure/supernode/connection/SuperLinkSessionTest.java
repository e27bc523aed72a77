package io.fedsecure.supernode.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fedsecure.crypto.pki.ClientRole;
import io.fedsecure.crypto.testing.TestPki;
import io.fedsecure.supernode.config.SuperNodeProperties;
import io.fedsecure.supernode.testing.FakeSuperLink;
import io.fedsecure.supernode.testing.NodeFixture;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The node's life with the SuperLink: activation, heartbeats, reconnects and the ways it gives up.
 */
@ExtendWith(OutputCaptureExtension.class)
class SuperLinkSessionTest {

  @TempDir static Path dir;
  static NodeFixture node;

  @BeforeAll
  static void files() throws Exception {
    node = NodeFixture.create(dir.resolve("node"), "node-1");
  }

  @Test
  void reactivatesAfterTheSuperLinkRestartsOnTheSamePort() {
    try (FakeSuperLink superLink = node.superLink(11);
        NodeWiring wiring = new NodeWiring(node.properties(superLink.port(), 0, Duration.ZERO))) {
      SuperNodeRunner runner =
          new SuperNodeRunner(wiring.session(NodeWiring.IGNORE), Duration.ofSeconds(5));
      runner.start();
      try {
        await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> superLink.activations.get() == 1 && superLink.hasStream());
        await().atMost(Duration.ofSeconds(15)).until(() -> superLink.heartbeats.get() >= 2);
        assertThat(runner.session().activeNode()).map(ActivatedNode::nodeId).contains(11L);

        superLink.stop();
        superLink.restart();

        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> superLink.activations.get() == 2 && superLink.hasStream());
        assertThat(superLink.streamsOpened.get()).isEqualTo(2);
      } finally {
        runner.stop();
      }
      assertThat(superLink.deactivations.get()).isEqualTo(1);
      assertThat(runner.termination()).isCompleted();
    }
  }

  @Test
  void transientRefusalsFromAFloodedOrSkewedSuperLinkDoNotShutTheNodeDown(CapturedOutput output) {
    try (FakeSuperLink superLink = node.superLink(12);
        NodeWiring wiring = new NodeWiring(node.properties(superLink.port(), 0, Duration.ZERO))) {
      SuperNodeRunner runner =
          new SuperNodeRunner(wiring.session(NodeWiring.IGNORE), Duration.ofSeconds(5));
      runner.start();
      try {
        // Given an active node
        await().atMost(Duration.ofSeconds(15)).until(() -> superLink.heartbeats.get() >= 1);
        int before = superLink.heartbeats.get();

        // When the SuperLink refuses its next calls as transient, its clock 90 s ahead
        superLink.serverClockAhead = Duration.ofSeconds(90);
        superLink.transientRefusals.set(3);

        // Then the node backs off, keeps going and says how far the clocks differ
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> runner.termination().isDone() || superLink.heartbeats.get() >= before + 2);
        assertThat(runner.termination()).isNotDone();
        assertThat(output.getOut()).contains("the SuperLink's clock is 90 s ahead of this node's");
      } finally {
        runner.stop();
      }
    }
  }

  @Test
  void givesUpWhenRetriesAreExhausted() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort(); // closed again: nothing listens there
    }
    try (NodeWiring wiring = new NodeWiring(node.properties(port, 2, Duration.ZERO))) {
      SuperLinkSession session = wiring.session(NodeWiring.IGNORE);

      assertThatThrownBy(session::run)
          .isInstanceOfSatisfying(
              ConnectionFailure.class,
              f -> assertThat(f.kind()).isEqualTo(ConnectionFailure.Kind.UNREACHABLE))
          .hasMessageStartingWith(
              "SuperLink at 127.0.0.1:" + port + " unreachable after 3 attempts over ")
          .hasMessageContaining("UNAVAILABLE");
    }
  }

  @Test
  void givesUpWhenTheWaitTimeIsOver() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    SuperNodeProperties properties = node.properties(port, 0, Duration.ofMillis(300));
    try (NodeWiring wiring = new NodeWiring(properties)) {
      assertThatThrownBy(wiring.session(NodeWiring.IGNORE)::run)
          .isInstanceOf(ConnectionFailure.class)
          .hasMessageMatching(
              "SuperLink at 127\\.0\\.0\\.1:\\d+ unreachable after \\d+ attempts over 0\\.\\d s .*");
    }
  }

  @Test
  void serverCertificateFromAnotherCaIsRejected() throws Exception {
    TestPki otherCa = TestPki.create(Files.createDirectories(dir.resolve("other-ca")));
    try (FakeSuperLink impostor =
            FakeSuperLink.start(
                otherCa.serverCertFile(), otherCa.serverKeyFile(), node.pki.caCertFile(), 0);
        NodeWiring wiring = new NodeWiring(node.properties(impostor.port(), 3, Duration.ZERO))) {
      impostor.register(node.identity.getPublic(), 3);

      assertThatThrownBy(wiring.session(NodeWiring.IGNORE)::run)
          .isInstanceOfSatisfying(
              ConnectionFailure.class,
              f -> assertThat(f.kind()).isEqualTo(ConnectionFailure.Kind.CERTIFICATE_REJECTED))
          .hasMessageStartingWith(
              "certificate rejected: the certificate of the SuperLink at 127.0.0.1:"
                  + impostor.port()
                  + " is not trusted by --root-certificates "
                  + node.pki.caCertFile());
      assertThat(impostor.activations.get()).isZero();
    }
  }

  @Test
  void clientCertificateTheSuperLinkDoesNotTrustIsRejected() throws Exception {
    TestPki otherCa = TestPki.create(Files.createDirectories(dir.resolve("stranger")));
    TestPki.ClientFiles strangerCert = otherCa.client("node-1", ClientRole.SUPERNODE);
    SuperNodeProperties base = node.properties(0, 0, Duration.ZERO);
    try (FakeSuperLink superLink = node.superLink(4)) {
      SuperNodeProperties properties =
          new SuperNodeProperties(
              "127.0.0.1:" + superLink.port(),
              base.rootCertificates(),
              base.authSupernodePrivateKey(),
              strangerCert.certFile(),
              strangerCert.keyFile(),
              base.nodeConfig(),
              3,
              Duration.ZERO,
              false,
              base.heartbeatInterval(),
              base.reconnect(),
              base.channel(),
              base.tasks());
      try (NodeWiring wiring = new NodeWiring(properties)) {
        assertThatThrownBy(wiring.session(NodeWiring.IGNORE)::run)
            .isInstanceOfSatisfying(
                ConnectionFailure.class,
                f -> assertThat(f.kind()).isEqualTo(ConnectionFailure.Kind.CERTIFICATE_REJECTED))
            .hasMessageStartingWith(
                "certificate rejected: the SuperLink at 127.0.0.1:"
                    + superLink.port()
                    + " refused this node's TLS certificate --ssl-certfile "
                    + strangerCert.certFile());
      }
    }
  }

  @Test
  void unregisteredKeyTellsHowToRegister() {
    try (FakeSuperLink superLink = node.superLink(-1);
        NodeWiring wiring = new NodeWiring(node.properties(superLink.port(), 3, Duration.ZERO))) {

      assertThatThrownBy(wiring.session(NodeWiring.IGNORE)::run)
          .isInstanceOfSatisfying(
              ConnectionFailure.class,
              f -> assertThat(f.kind()).isEqualTo(ConnectionFailure.Kind.NOT_REGISTERED))
          .hasMessage(
              "this node's public key is not registered with the SuperLink at 127.0.0.1:"
                  + superLink.port()
                  + ": run `flwr supernode register "
                  + node.identityKey
                  + ".pub`");
    }
  }
}
