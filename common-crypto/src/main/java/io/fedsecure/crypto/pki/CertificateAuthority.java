package io.fedsecure.crypto.pki;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A small CA for the federation (BouncyCastle): issues the SuperLink's server certificate and
 * client certificates for SuperNodes and operators. Keys are EC P-256.
 */
public final class CertificateAuthority {

  private CertificateAuthority(IssuedCertificate ca) {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  public static CertificateAuthority create(String commonName, Duration validity) {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  /** Loads a CA from its certificate and PKCS#8 key PEM files. */
  public static CertificateAuthority load(Path certificatePem, Path privateKeyPem) throws java.io.IOException {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  public IssuedCertificate caCertificate() {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  /** SANs: localhost, 127.0.0.1, ::1 plus {@code extraNames} (DNS names or IP literals). */
  public IssuedCertificate issueServer(String commonName, List<String> extraNames, Duration validity) {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  /** A TLS client certificate whose subject OU records {@code role}. */
  public IssuedCertificate issueClient(String commonName, ClientRole role, Duration validity) {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }
}
