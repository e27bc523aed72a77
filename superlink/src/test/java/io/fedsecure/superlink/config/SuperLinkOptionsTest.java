package io.fedsecure.superlink.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsecure.crypto.testing.TestPki;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, before anything starts. */
class SuperLinkOptionsTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private SuperLinkOptions.Outcome parse(String... args) {
    return SuperLinkOptions.parse(args, new PrintWriter(out), new PrintWriter(err));
  }

  @Test
  void helpExplainsEveryFlagAndExitsZero() {
    assertThat(parse("--help")).isEqualTo(new SuperLinkOptions.Exit(0));
    assertThat(out.toString())
        .contains(
            "--ssl-ca-certfile",
            "--ssl-certfile",
            "--ssl-keyfile",
            "--insecure",
            "--enable-supernode-auth",
            "--database",
            "--fleet-api-address",
            "--control-api-address",
            "--encryption-keys-dir",
            "--heartbeat-interval",
            "--node-patience",
            "--management-port",
            "--port-file",
            "always on",
            "0.0.0.0:9092",
            "state/superlink.db");
  }

  @Test
  void unknownFlagIsAOneLineUsageError() {
    assertThat(parse("--insecure", "--fleet-api-adress", "x"))
        .isEqualTo(new SuperLinkOptions.Exit(2));
    assertThat(err.toString().strip()).doesNotContain("\n").contains("--fleet-api-adress");
  }

  @Test
  void badAddressIsAUsageError() {
    assertThat(parse("--insecure", "--fleet-api-address", "nowhere"))
        .isEqualTo(new SuperLinkOptions.Exit(2));
    assertThat(err.toString()).contains("'nowhere' is not HOST:PORT");
  }

  @Test
  void withoutTlsOrInsecureItRefusesNamingTheMissingFlags(@TempDir Path dir) throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.crt"), "x");
    assertThat(parse("--ssl-ca-certfile", ca.toString())).isEqualTo(new SuperLinkOptions.Exit(1));
    String message = err.toString().strip();
    assertThat(message)
        .doesNotContain("\n")
        .contains("--ssl-certfile", "--ssl-keyfile")
        .doesNotContain("--ssl-ca-certfile");
  }

  @Test
  void missingTlsFileIsNamed(@TempDir Path dir) throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.crt"), "x");
    Path cert = Files.writeString(dir.resolve("server.pem"), "x");
    assertThat(
            parse(
                "--ssl-ca-certfile",
                ca.toString(),
                "--ssl-certfile",
                cert.toString(),
                "--ssl-keyfile",
                dir.resolve("nope.key").toString()))
        .isEqualTo(new SuperLinkOptions.Exit(1));
    assertThat(err.toString()).contains("--ssl-keyfile: no such file").contains("nope.key");
  }

  @Test
  void tlsFilesThatAreNotPemAreNamedBeforeAnythingStarts(@TempDir Path dir) throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.crt"), "garbage");
    Path cert = Files.writeString(dir.resolve("server.pem"), "garbage");
    Path key = Files.writeString(dir.resolve("server.key"), "garbage");
    assertThat(
            parse(
                "--ssl-ca-certfile",
                ca.toString(),
                "--ssl-certfile",
                cert.toString(),
                "--ssl-keyfile",
                key.toString()))
        .isEqualTo(new SuperLinkOptions.Exit(1));
    assertThat(err.toString().strip())
        .doesNotContain("\n")
        .contains(
            "--ssl-ca-certfile: not a PEM certificate",
            "--ssl-certfile: not a PEM certificate",
            "--ssl-keyfile:");
  }

  @Test
  void serverKeyOthersCanReadIsRefusedWithTheChmodFix(@TempDir Path dir) throws Exception {
    TestPki pki = TestPki.create(dir);
    Files.setPosixFilePermissions(
        pki.serverKeyFile(), PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(
            parse(
                "--ssl-ca-certfile",
                pki.caCertFile().toString(),
                "--ssl-certfile",
                pki.serverCertFile().toString(),
                "--ssl-keyfile",
                pki.serverKeyFile().toString()))
        .isEqualTo(new SuperLinkOptions.Exit(1));
    assertThat(err.toString())
        .hasLineCount(1)
        .contains(
            "--ssl-keyfile: private key file "
                + pki.serverKeyFile()
                + " is accessible by group or others")
        .contains("run `chmod 600 " + pki.serverKeyFile() + "`");
  }

  @Test
  void serverKeyBehindASymlinkIsRefused(@TempDir Path dir) throws Exception {
    TestPki pki = TestPki.create(dir);
    Path link = Files.createSymbolicLink(dir.resolve("linked.key"), pki.serverKeyFile());

    assertThat(
            parse(
                "--ssl-ca-certfile",
                pki.caCertFile().toString(),
                "--ssl-certfile",
                pki.serverCertFile().toString(),
                "--ssl-keyfile",
                link.toString()))
        .isEqualTo(new SuperLinkOptions.Exit(1));
    assertThat(err.toString())
        .hasLineCount(1)
        .contains("--ssl-keyfile: private key file " + link + " is a symbolic link");
  }

  @Test
  void insecureNeedsNoTlsAndTurnsTlsOff() {
    SuperLinkOptions.Outcome outcome =
        parse("--insecure", "--control-api-address", "127.0.0.1:0", "--node-patience", "90");
    assertThat(outcome).isInstanceOf(SuperLinkOptions.Start.class);
    var properties = ((SuperLinkOptions.Start) outcome).options().toSpringProperties();
    assertThat(properties)
        .containsEntry("server.ssl.enabled", false)
        .containsEntry("server.port", 0)
        .containsEntry("server.address", "127.0.0.1")
        .containsEntry("superlink.liveness.node-patience", "PT1M30S")
        .doesNotContainKey("server.ssl.bundle");
  }
}
