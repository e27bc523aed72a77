package io.fedsecure.loadgen;

import io.fedsecure.cli.http.ConnectionConfig;
import io.fedsecure.crypto.keys.EcKeys;
import io.fedsecure.crypto.keys.EncryptionKeyFiles;
import io.fedsecure.crypto.keys.KeyFileException;
import io.fedsecure.crypto.pki.CertificateAuthority;
import io.fedsecure.crypto.pki.ClientRole;
import io.fedsecure.crypto.pki.IssuedCertificate;
import io.fedsecure.crypto.pki.PemFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a deployment's scripts would generate, for N nodes, in a fresh work directory: a CA,
 * the SuperLink's server certificate, an operator certificate (certificates/operator.pem/.key), and
 * per node a TLS client certificate (certificates/node-k.pem/.key), an EC P-384 identity key
 * (keys/node-k[.pub]) and an AES-256 weight key (encryption_keys/node-k_key.bin, which the
 * SuperLink reads too).
 */
final class LoadGenMaterial {

  record Node(
      int index,
      String name,
      KeyPair identity,
      Path identityKey,
      Path certificate,
      Path certificateKey,
      Path encryptionKey) {}

  final Path dir;
  final List<Node> nodes;

  private LoadGenMaterial(Path dir, List<Node> nodes) {
    this.dir = dir;
    this.nodes = nodes;
  }

  Path caCertificate() {
    return certificate("ca.crt");
  }

  Path serverCertificate() {
    return certificate("server.pem");
  }

  Path serverKey() {
    return certificate("server.key");
  }

  Path encryptionKeysDir() {
    return dir.resolve("encryption_keys");
  }

  /** How flwr would reach the SuperLink's Control API on {@code port}, as the operator. */
  ConnectionConfig operatorConnection(int port) {
    return new ConnectionConfig(
        null,
        "127.0.0.1:" + port,
        caCertificate(),
        certificate("operator.pem"),
        certificate("operator.key"));
  }

  private Path certificate(String file) {
    return dir.resolve("certificates").resolve(file);
  }

  static String nodeName(int index) {
    return "node-" + index;
  }

  /** Creates the material for {@code count} nodes; {@code dir} must not exist or be empty. */
  static LoadGenMaterial create(Path dir, int count) throws IOException {
    Files.createDirectories(dir);
    try (var entries = Files.list(dir)) {
      if (entries.findAny().isPresent()) {
        throw new IllegalArgumentException(
            "work directory " + dir + " is not empty; give a fresh one");
      }
    }
    Path certs = Files.createDirectories(dir.resolve("certificates"));
    Path keys = Files.createDirectories(dir.resolve("keys"));
    Path encryptionKeys = Files.createDirectories(dir.resolve("encryption_keys"));
    Duration validity = Duration.ofDays(2);
    CertificateAuthority ca = CertificateAuthority.create("fedsecure loadgen CA", validity);
    PemFiles.writeCertificates(certs.resolve("ca.crt"), ca.caCertificate().certificate());
    write(ca.issueServer("superlink", List.of(), validity), certs, "server");
    write(ca.issueClient("operator", ClientRole.OPERATOR, validity), certs, "operator");

    List<Node> nodes = new ArrayList<>(count);
    for (int k = 1; k <= count; k++) {
      String name = nodeName(k);
      write(ca.issueClient(name, ClientRole.SUPERNODE, validity), certs, name);
      KeyPair identity = EcKeys.generateP384();
      Path identityKey = keys.resolve(name);
      Path weightKey = EncryptionKeyFiles.pathFor(encryptionKeys, name);
      try {
        EcKeys.writeOpenSsh(identity, identityKey, name);
        EncryptionKeyFiles.generate(weightKey, false);
      } catch (KeyFileException e) {
        throw new UncheckedIOException(new IOException(e.getMessage(), e));
      }
      nodes.add(
          new Node(
              k,
              name,
              identity,
              identityKey,
              certs.resolve(name + ".pem"),
              certs.resolve(name + ".key"),
              weightKey));
    }
    return new LoadGenMaterial(dir, List.copyOf(nodes));
  }

  /** {@code name}.pem and {@code name}.key in {@code certs}. */
  private static void write(IssuedCertificate issued, Path certs, String name) throws IOException {
    PemFiles.writeCertificates(certs.resolve(name + ".pem"), issued.certificate());
    PemFiles.writePrivateKey(certs.resolve(name + ".key"), issued.privateKey());
  }
}
