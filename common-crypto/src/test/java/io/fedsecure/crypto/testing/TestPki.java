package io.fedsecure.crypto.testing;

import io.fedsecure.crypto.pki.CertificateAuthority;
import io.fedsecure.crypto.pki.ClientRole;
import io.fedsecure.crypto.pki.IssuedCertificate;
import io.fedsecure.crypto.pki.PemFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A throw-away PKI for tests: a fresh CA and a server certificate for localhost, written as PEM
 * files, plus client certificates on demand. Checked exceptions become {@link UncheckedIOException}
 * so tests stay terse.
 */
public final class TestPki {

  private static final Duration VALIDITY = Duration.ofDays(1);

  private final Path dir;
  private final CertificateAuthority authority;

  private TestPki(Path dir, CertificateAuthority authority) {
    this.dir = dir;
    this.authority = authority;
  }

  /**
   * New CA + server cert (SANs localhost, 127.0.0.1, ::1); writes ca.crt, ca.key, server.pem,
   * server.key.
   */
  public static TestPki create(Path dir) {
    CertificateAuthority ca = CertificateAuthority.create("fedsecure test CA", VALIDITY);
    IssuedCertificate server = ca.issueServer("localhost", List.of(), VALIDITY);
    try {
      PemFiles.writeCertificates(dir.resolve("ca.crt"), ca.caCertificate().certificate());
      PemFiles.writePrivateKey(dir.resolve("ca.key"), ca.caCertificate().privateKey());
      PemFiles.writeCertificates(dir.resolve("server.pem"), server.certificate());
      PemFiles.writePrivateKey(dir.resolve("server.key"), server.privateKey());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new TestPki(dir, ca);
  }

  public Path caCertFile() {
    return dir.resolve("ca.crt");
  }

  public Path serverCertFile() {
    return dir.resolve("server.pem");
  }

  public Path serverKeyFile() {
    return dir.resolve("server.key");
  }

  public CertificateAuthority authority() {
    return authority;
  }

  /** Issues a client certificate; writes dir/&lt;cn&gt;.pem and dir/&lt;cn&gt;.key. */
  public ClientFiles client(String commonName, ClientRole role) {
    IssuedCertificate client = authority.issueClient(commonName, role, VALIDITY);
    ClientFiles files =
        new ClientFiles(dir.resolve(commonName + ".pem"), dir.resolve(commonName + ".key"));
    try {
      PemFiles.writeCertificates(files.certFile(), client.certificate());
      PemFiles.writePrivateKey(files.keyFile(), client.privateKey());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  public record ClientFiles(Path certFile, Path keyFile) {}
}
