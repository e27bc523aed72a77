package io.fedsecure.superlink.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fedsecure.superlink.ListeningPortsReport;
import io.fedsecure.superlink.SuperLinkApplication;
import io.fedsecure.superlink.config.SuperLinkOptions;
import io.fedsecure.superlink.support.ControlClient;
import io.fedsecure.superlink.support.SharedSuperLink;
import io.fedsecure.superlink.support.SuperLinkFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** The Control API against slow clients, weak TLS and plaintext exposure. */
@ExtendWith(SharedSuperLink.class)
class ControlApiHardeningTest {

  private final SuperLinkFixture superlink;

  ControlApiHardeningTest(SuperLinkFixture superlink) {
    this.superlink = superlink;
  }

  private SSLSocket operatorSocket() throws IOException {
    SSLContext ssl =
        ControlClient.sslContext(superlink.pki().caCertFile(), superlink.operatorCertificate());
    return (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", superlink.controlPort());
  }

  @Test
  void slowlorisClientSendingHalfAHeaderIsCutOffWithinTheConnectionTimeout() throws Exception {
    try (SSLSocket socket = operatorSocket()) {
      // Given a TLS connection that sent part of a request header and then nothing
      socket.startHandshake();
      socket
          .getOutputStream()
          .write(
              "GET /v1/nodes HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a"
                  .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      socket.setSoTimeout((int) Duration.ofSeconds(40).toMillis());
      long started = System.nanoTime();

      // When the client waits, Then the server closes the connection within its 10 s timeout (and a
      // margin)
      readUntilClosed(socket.getInputStream());
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    }
  }

  private static void readUntilClosed(InputStream in) throws IOException {
    try {
      while (in.read() >= 0) {
        // a 408 or 400 before closing is fine
      }
    } catch (SocketException | SSLException closed) {
      // reset by the server: closed too
    }
  }

  @Test
  void tls12ClientOfferingOnlyACbcSuiteFailsTheHandshake() throws Exception {
    try (SSLSocket socket = operatorSocket()) {
      socket.setEnabledProtocols(new String[] {"TLSv1.2"});
      socket.setEnabledCipherSuites(
          new String[] {
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"
          });
      assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLException.class);
    }
    try (SSLSocket socket = operatorSocket()) {
      socket.setEnabledProtocols(new String[] {"TLSv1.2"});
      socket.setEnabledCipherSuites(
          new String[] {
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
          });
      assertThatCode(socket::startHandshake).doesNotThrowAnyException();
    }
  }

  @Test
  void insecureControlApiCannotBeReachedFromTheNetwork(@TempDir Path dir) throws Exception {
    Optional<InetAddress> external =
        NetworkInterface.networkInterfaces()
            .flatMap(NetworkInterface::inetAddresses)
            .filter(
                a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
            .findFirst();
    assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address to try");
    SuperLinkOptions.Outcome outcome =
        SuperLinkOptions.parse(
            new String[] {
              "--insecure",
              "--control-api-address",
              "0.0.0.0:0",
              "--fleet-api-address",
              "127.0.0.1:0",
              "--management-port",
              "0",
              "--database",
              ":memory:",
              "--encryption-keys-dir",
              dir.toString()
            },
            new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()));
    try (ConfigurableApplicationContext context =
        SuperLinkApplication.start(((SuperLinkOptions.Start) outcome).options())) {
      int port = context.getBean(ListeningPortsReport.class).controlPort();

      assertThatThrownBy(() -> connect(external.get(), port)).isInstanceOf(ConnectException.class);
      assertThatCode(() -> connect(InetAddress.getLoopbackAddress(), port))
          .doesNotThrowAnyException();
    }
  }

  private static void connect(InetAddress address, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 5000);
    }
  }
}
