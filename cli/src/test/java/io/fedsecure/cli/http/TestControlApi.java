package io.fedsecure.cli.http;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.fedsecure.crypto.pki.CertificateAuthority;
import io.fedsecure.crypto.pki.ClientRole;
import io.fedsecure.crypto.pki.IssuedCertificate;
import io.fedsecure.crypto.pki.PemFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLParameters;

/**
 * A stand-in SuperLink Control API: HTTPS on 127.0.0.1, client certificate required, trusting only
 * a test CA. Writes an app directory whose pyproject.toml points the CLI at it.
 */
final class TestControlApi implements AutoCloseable {

  final Path appDir;
  private final HttpsServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();

  TestControlApi(Path dir) throws IOException {
    this(dir, "127.0.0.1");
  }

  /**
   * {@code bindAddress} other than the certificate's names lets a test exercise hostname checks.
   */
  TestControlApi(Path dir, String bindAddress) throws IOException {
    appDir = Files.createDirectories(dir.resolve("app"));
    Path certs = Files.createDirectories(appDir.resolve("certificates"));
    Duration validity = Duration.ofDays(1);
    CertificateAuthority ca = CertificateAuthority.create("test CA", validity);
    write(certs, "ca", ca.caCertificate());
    write(certs, "server", ca.issueServer("superlink", List.of(), validity));
    write(certs, "operator", ca.issueClient("operator", ClientRole.OPERATOR, validity));

    server = HttpsServer.create(new InetSocketAddress(bindAddress, 0), 0);
    // The server side of the same construction: trust the CA, present its own certificate.
    server.setHttpsConfigurator(
        new HttpsConfigurator(
            TlsContexts.operatorContext(
                certs.resolve("ca.pem"),
                certs.resolve("server.pem"),
                certs.resolve("server.key"))) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
            parameters.setNeedClientAuth(true);
            params.setSSLParameters(parameters);
          }
        });
    server.setExecutor(executor);
    server.start();

    Files.writeString(
        appDir.resolve("pyproject.toml"),
        """
        [tool.flwr.app.config]
        num-server-rounds = 3
        learning-rate = 0.01

        [tool.flwr.federations]
        default = "test"

        [tool.flwr.federations.test]
        address = "%s:%d"
        root-certificates = "certificates/ca.pem"
        operator-certfile = "certificates/operator.pem"
        operator-keyfile = "certificates/operator.key"
        """
            .formatted(bindAddress, port()));
  }

  private static void write(Path dir, String name, IssuedCertificate issued) throws IOException {
    PemFiles.writeCertificates(dir.resolve(name + ".pem"), issued.certificate());
    PemFiles.writePrivateKey(dir.resolve(name + ".key"), issued.privateKey());
  }

  int port() {
    return server.getAddress().getPort();
  }

  void handle(String path, HttpHandler handler) {
    server.createContext(path, handler);
  }

  static String clientSubject(HttpsExchange exchange) throws IOException {
    return ((X509Certificate) exchange.getSSLSession().getPeerCertificates()[0])
        .getSubjectX500Principal()
        .getName();
  }

  static String body(HttpsExchange exchange) throws IOException {
    return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
  }

  static void respond(HttpsExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
