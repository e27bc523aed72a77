package io.fedsecure.supernode.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsecure.crypto.keys.EncryptionKeyFiles;
import io.fedsecure.supernode.config.NodeConfigConfiguration;
import io.fedsecure.supernode.connection.ConnectionConfiguration;
import io.fedsecure.supernode.task.TaskConfiguration;
import io.fedsecure.supernode.testing.FixedTrainer;
import io.fedsecure.supernode.testing.NodeFixture;
import io.fedsecure.supernode.training.LocalTrainer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * What main() does with a command line: exit codes and one-line messages (System.exit left out).
 */
class SuperNodeLauncherTest {

  @SpringBootConfiguration
  @Import({NodeConfigConfiguration.class, ConnectionConfiguration.class, TaskConfiguration.class})
  static class Node {
    @Bean
    LocalTrainer localTrainer() {
      return new FixedTrainer();
    }
  }

  @TempDir static Path dir;
  static NodeFixture node;
  static Path keyFile;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void files() throws Exception {
    node = NodeFixture.create(dir, "node-1");
    keyFile = dir.resolve("node-1_key.bin");
    EncryptionKeyFiles.generate(keyFile, false);
  }

  private int run(String... args) {
    return new SuperNodeLauncher(Node.class, new PrintWriter(out), new PrintWriter(err)).run(args);
  }

  @Test
  void helpListsTheExitCodes() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains(
            "--max-retries=N",
            "--clientappio-api-address",
            "Exit codes:",
            "4   SuperLink unreachable");
  }

  @Test
  void commaSeparatedNodeConfigIsAUsageError() {
    int code =
        run(
            "--root-certificates",
            "ca.crt",
            "--auth-supernode-private-key",
            "k",
            "--node-config",
            "dataset-path=\"d\",node-id=\"node-1\"");

    assertThat(code).isEqualTo(ExitCode.USAGE.code());
    assertThat(err.toString())
        .startsWith("supernode: --node-config: pairs are separated by spaces, not commas")
        .hasLineCount(1);
  }

  @Test
  void missingIdentityKeyIsALocalSetupError() {
    Path absent = dir.resolve("keys/absent");
    int code =
        run(
            "--root-certificates",
            node.pki.caCertFile().toString(),
            "--auth-supernode-private-key",
            absent.toString(),
            "--node-config",
            node.nodeConfig(keyFile));

    assertThat(code).isEqualTo(ExitCode.LOCAL_SETUP.code());
    assertThat(err.toString())
        .isEqualTo(
            "supernode: --auth-supernode-private-key "
                + absent
                + " does not exist or is not a file: expected the node's identity key (e.g. keys/client_credentials_1)"
                + System.lineSeparator());
  }

  /**
   * Starts the node with the given identity and TLS key files, against a SuperLink that is not
   * there.
   */
  private int runWithKeys(Path identityKey, Path tlsKey) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    return run(
        "--superlink",
        "127.0.0.1:" + port,
        "--root-certificates",
        node.pki.caCertFile().toString(),
        "--auth-supernode-private-key",
        identityKey.toString(),
        "--ssl-certfile",
        node.tls.certFile().toString(),
        "--ssl-keyfile",
        tlsKey.toString(),
        "--node-config",
        node.nodeConfig(keyFile),
        "--max-retries",
        "1",
        "--clientappio-api-address",
        "127.0.0.1:9094");
  }

  private static Path copyWithMode(Path key, String name, String mode) throws Exception {
    Path copy = Files.copy(key, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString(mode));
    return copy;
  }

  @Test
  void identityKeyOthersCanReadIsRefusedWithTheChmodFix() throws Exception {
    Path exposed = copyWithMode(node.identityKey, "identity-644", "rw-r--r--");

    assertThat(runWithKeys(exposed, node.tls.keyFile())).isEqualTo(ExitCode.LOCAL_SETUP.code());
    assertThat(err.toString())
        .isEqualTo(
            "supernode: --auth-supernode-private-key: private key file "
                + exposed
                + " is accessible by group or others (mode rw-r--r--); run `chmod 600 "
                + exposed
                + "`"
                + System.lineSeparator());
  }

  @Test
  void identityKeyBehindASymlinkIsRefused() throws Exception {
    Path link = dir.resolve("identity-link");
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, node.identityKey);

    assertThat(runWithKeys(link, node.tls.keyFile())).isEqualTo(ExitCode.LOCAL_SETUP.code());
    assertThat(err.toString())
        .startsWith(
            "supernode: --auth-supernode-private-key: private key file "
                + link
                + " is a symbolic link")
        .hasLineCount(1);
  }

  @Test
  void tlsKeyOthersCanReadIsRefusedWithTheChmodFix() throws Exception {
    Path exposed = copyWithMode(node.tls.keyFile(), "tls-644.key", "rw-r--r--");

    assertThat(runWithKeys(node.identityKey, exposed)).isEqualTo(ExitCode.LOCAL_SETUP.code());
    assertThat(err.toString())
        .isEqualTo(
            "supernode: --ssl-keyfile: TLS key file "
                + exposed
                + " is accessible by group or others (mode rw-r--r--); run `chmod 600 "
                + exposed
                + "`"
                + System.lineSeparator());
  }

  @Test
  void tlsKeyBehindASymlinkIsRefused() throws Exception {
    Path link = dir.resolve("tls-link.key");
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, node.tls.keyFile());

    assertThat(runWithKeys(node.identityKey, link)).isEqualTo(ExitCode.LOCAL_SETUP.code());
    assertThat(err.toString())
        .startsWith("supernode: --ssl-keyfile: TLS key file " + link + " is a symbolic link")
        .hasLineCount(1);
  }

  @Test
  void unreachableSuperLinkEndsWithItsOwnExitCode() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    int code =
        run(
            "--superlink",
            "127.0.0.1:" + port,
            "--root-certificates",
            node.pki.caCertFile().toString(),
            "--auth-supernode-private-key",
            node.identityKey.toString(),
            "--ssl-certfile",
            node.tls.certFile().toString(),
            "--ssl-keyfile",
            node.tls.keyFile().toString(),
            "--node-config",
            node.nodeConfig(keyFile),
            "--max-retries",
            "1",
            "--clientappio-api-address",
            "127.0.0.1:9094");

    assertThat(code).isEqualTo(ExitCode.UNREACHABLE.code());
    assertThat(err.toString())
        .startsWith("supernode: SuperLink at 127.0.0.1:" + port + " unreachable after 2 attempts")
        .hasLineCount(1);
  }
}
