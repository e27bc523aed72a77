package io.fedsecure.cli.keygen;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsecure.cli.CliHarness;
import io.fedsecure.crypto.keys.EcKeys;
import io.fedsecure.crypto.keys.EcPrivateKeys;
import io.fedsecure.crypto.pki.ClientRole;
import io.fedsecure.crypto.pki.PemFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeygenCommandTest {

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  @TempDir Path temp;

  private CliHarness.Result keygen(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "keygen";
    System.arraycopy(args, 0, all, 1, args.length);
    return CliHarness.run(temp, all);
  }

  private static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> contents = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        contents.put(
            file.getFileName().toString(),
            java.util.HexFormat.of().formatHex(Files.readAllBytes(file)));
      }
    }
    return contents;
  }

  private static X509Certificate certificate(Path file) throws IOException {
    return PemFiles.readCertificates(file).get(0);
  }

  @Test
  void certsHaveTheDocumentedFilesSansRolesAndPrivateKeyModes() throws Exception {
    Path out = temp.resolve("certificates");

    CliHarness.Result result =
        keygen("certs", "--out", out.toString(), "--nodes", "2", "--san", "superlink.example.org");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(snapshot(out).keySet())
        .containsExactlyInAnyOrder(
            "ca.crt",
            "ca.key",
            "server.pem",
            "server.key",
            "node-1.pem",
            "node-1.key",
            "node-2.pem",
            "node-2.key",
            "operator.pem",
            "operator.key");
    for (String key : List.of("ca.key", "server.key", "node-1.key", "node-2.key", "operator.key")) {
      assertThat(Files.getPosixFilePermissions(out.resolve(key))).as(key).isEqualTo(OWNER_ONLY);
      assertThat(Files.readString(out.resolve(key)))
          .as(key)
          .startsWith("-----BEGIN PRIVATE KEY-----");
    }

    X509Certificate ca = certificate(out.resolve("ca.crt"));
    X509Certificate server = certificate(out.resolve("server.pem"));
    server.verify(ca.getPublicKey());
    assertThat(server.getSubjectAlternativeNames().stream().map(san -> san.get(1).toString()))
        .contains("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1", "superlink.example.org");

    X509Certificate operator = certificate(out.resolve("operator.pem"));
    operator.verify(ca.getPublicKey());
    assertThat(ClientRole.of(operator)).contains(ClientRole.OPERATOR);
    X509Certificate node2 = certificate(out.resolve("node-2.pem"));
    assertThat(ClientRole.of(node2)).contains(ClientRole.SUPERNODE);
    assertThat(node2.getSubjectX500Principal().getName()).contains("CN=node-2");
  }

  @Test
  void rerunWithoutForceRefusesAndLeavesEverythingUnchangedWithForceItOverwrites()
      throws Exception {
    Path out = temp.resolve("certificates");
    assertThat(keygen("certs", "--out", out.toString(), "--nodes", "1").exitCode()).isZero();
    Map<String, String> before = snapshot(out);

    CliHarness.Result refused = keygen("certs", "--out", out.toString(), "--nodes", "2");

    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err().strip())
        .doesNotContain("\n")
        .contains("refusing to overwrite", "ca.crt", "ca.key", "operator.key", "--force")
        // node-2 did not exist: it is not listed, and it was not created either.
        .doesNotContain("node-2");
    assertThat(snapshot(out)).isEqualTo(before);

    CliHarness.Result forced = keygen("certs", "--out", out.toString(), "--nodes", "1", "--force");

    assertThat(forced.exitCode()).as(forced.err()).isZero();
    Map<String, String> after = snapshot(out);
    assertThat(after.keySet()).isEqualTo(before.keySet());
    assertThat(after.get("ca.key")).isNotEqualTo(before.get("ca.key"));
    assertThat(after.get("operator.pem")).isNotEqualTo(before.get("operator.pem"));
  }

  @Test
  void aSingleExistingTargetBlocksTheWholeSet() throws Exception {
    Path out = Files.createDirectories(temp.resolve("encryption_keys"));
    Files.writeString(out.resolve("node-2_key.bin"), "in use");

    CliHarness.Result refused = keygen("encryption-keys", "--out", out.toString(), "--count", "3");

    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("node-2_key.bin").doesNotContain("node-1_key.bin");
    assertThat(snapshot(out).keySet()).containsExactly("node-2_key.bin");
  }

  @Test
  void encryptionKeysAre32RandomBytesOwnerOnly() throws Exception {
    Path out = temp.resolve("encryption_keys");

    CliHarness.Result result = keygen("encryption-keys", "--out", out.toString(), "--count", "2");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(snapshot(out).keySet()).containsExactly("node-1_key.bin", "node-2_key.bin");
    byte[] one = Files.readAllBytes(out.resolve("node-1_key.bin"));
    byte[] two = Files.readAllBytes(out.resolve("node-2_key.bin"));
    assertThat(one).hasSize(32).isNotEqualTo(two);
    assertThat(Files.getPosixFilePermissions(out.resolve("node-1_key.bin"))).isEqualTo(OWNER_ONLY);
  }

  @Test
  void authKeysArePairedOpenSshP384Keys() throws Exception {
    Path out = temp.resolve("keys");

    CliHarness.Result result = keygen("auth-keys", "--out", out.toString(), "--count", "2");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(snapshot(out).keySet())
        .containsExactly(
            "client_credentials_1",
            "client_credentials_1.pub",
            "client_credentials_2",
            "client_credentials_2.pub");
    assertThat(Files.getPosixFilePermissions(out.resolve("client_credentials_1")))
        .isEqualTo(OWNER_ONLY);
    assertThat(Files.readString(out.resolve("client_credentials_1.pub")))
        .startsWith("ecdsa-sha2-nistp384 ");
    assertThat(EcPrivateKeys.readKeyPair(out.resolve("client_credentials_2")).getPublic())
        .isEqualTo(EcKeys.readPublicKey(out.resolve("client_credentials_2.pub")));
  }

  @Test
  void badCountIsAUsageError() {
    CliHarness.Result result =
        keygen("auth-keys", "--out", temp.resolve("keys").toString(), "--count", "0");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--count must be between 1 and 1000");
    assertThat(temp.resolve("keys")).doesNotExist();
  }

  @Test
  void
      givenTheCountAsFlowersScriptsPassIt_whenKeysAreMade_thenThatManyAreWrittenAndACountGivenTwiceIsRefused()
          throws Exception {
    Path out = temp.resolve("encryption_keys");

    CliHarness.Result positional = keygen("encryption-keys", "--out", out.toString(), "3");
    CliHarness.Result twice =
        keygen("auth-keys", "--out", temp.resolve("keys").toString(), "2", "--count", "3");

    assertThat(positional.exitCode()).as(positional.err()).isZero();
    assertThat(snapshot(out).keySet())
        .containsExactly("node-1_key.bin", "node-2_key.bin", "node-3_key.bin");
    assertThat(twice.exitCode()).isEqualTo(2);
    assertThat(twice.err()).contains("the count is given twice (2 and --count 3)");
    assertThat(temp.resolve("keys")).doesNotExist();
  }
}
