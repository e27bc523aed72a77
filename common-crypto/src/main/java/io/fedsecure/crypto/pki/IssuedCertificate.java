package io.fedsecure.crypto.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A certificate with its private key; {@code toString} never shows the key. */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey) {
  @Override
  public String toString() {
    return "IssuedCertificate[" + certificate.getSubjectX500Principal().getName() + "]";
  }
}
