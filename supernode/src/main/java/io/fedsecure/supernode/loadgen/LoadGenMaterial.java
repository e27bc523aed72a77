package io.fedsecure.supernode.loadgen;

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
 * the SuperLink's server certificate, an operator certificate, and per node a TLS client
 * certificate (certificates/node-k.pem/.key), an EC P-384 identity key (keys/node-k[.pub]) and an
 * AES-256 weight key (encryption_keys/node-k_key.bin, which the SuperLink reads too).
 */
final class LoadGenMaterial {

  record Node(int index, String name, KeyPair identity, Path identityKey, Path certificate, Path certificateKey,
      Path encryptionKey) {}

  final Path dir;
  final Path caCertificate;
  final Path serverCertificate;
  final Path serverKey;
  final IssuedCertificate operator;
  final Path encryptionKeysDir;
  final List<Node> nodes;

  private LoadGenMaterial(Path dir, Path caCertificate, Path serverCertificate, Path serverKey,
      IssuedCertificate operator, Path encryptionKeysDir, List<Node> nodes) {
    this.dir = dir;
    this.caCertificate = caCertificate;
    this.serverCertificate = serverCertificate;
    this.serverKey = serverKey;
    this.operator = operator;
    this.encryptionKeysDir = encryptionKeysDir;
    this.nodes = nodes;
  }

  static String nodeName(int index) {
    return "node-" + index;
  }

  /** Creates the material for {@code count} nodes; {@code dir} must not exist or be empty. */
  static LoadGenMaterial create(Path dir, int count) throws IOException {
    Files.createDirectories(dir);
    try (var entries = Files.list(dir)) {
      if (entries.findAny().isPresent()) {
        throw new IllegalArgumentException("work directory " + dir + " is not empty; give a fresh one");
      }
    }
    Path certs = Files.createDirectories(dir.resolve("certificates"));
    Path keys = Files.createDirectories(dir.resolve("keys"));
    Path encryptionKeys = Files.createDirectories(dir.resolve("encryption_keys"));
    Duration validity = Duration.ofDays(2);
    CertificateAuthority ca = CertificateAuthority.create("fedsecure loadgen CA", validity);
    Path caFile = certs.resolve("ca.crt");
    PemFiles.writeCertificates(caFile, ca.caCertificate().certificate());
    IssuedCertificate server = ca.issueServer("superlink", List.of(), validity);
    Path serverCert = certs.resolve("server.pem");
    Path serverKey = certs.resolve("server.key");
    PemFiles.writeCertificates(serverCert, server.certificate());
    PemFiles.writePrivateKey(serverKey, server.privateKey());
    IssuedCertificate operator = ca.issueClient("operator", ClientRole.OPERATOR, validity);

    List<Node> nodes = new ArrayList<>(count);
    for (int k = 1; k <= count; k++) {
      String name = nodeName(k);
      IssuedCertificate tls = ca.issueClient(name, ClientRole.SUPERNODE, validity);
      Path cert = certs.resolve(name + ".pem");
      Path certKey = certs.resolve(name + ".key");
      PemFiles.writeCertificates(cert, tls.certificate());
      PemFiles.writePrivateKey(certKey, tls.privateKey());
      KeyPair identity = EcKeys.generateP384();
      Path identityKey = keys.resolve(name);
      Path weightKey = EncryptionKeyFiles.pathFor(encryptionKeys, name);
      try {
        EcKeys.writeOpenSsh(identity, identityKey, name);
        EncryptionKeyFiles.generate(weightKey, false);
      } catch (KeyFileException e) {
        throw new UncheckedIOException(new IOException(e.getMessage(), e));
      }
      nodes.add(new Node(k, name, identity, identityKey, cert, certKey, weightKey));
    }
    return new LoadGenMaterial(dir, caFile, serverCert, serverKey, operator, encryptionKeys, List.copyOf(nodes));
  }
}
