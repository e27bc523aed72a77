package io.fedsecure.crypto.pki;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** PEM reading and writing with BouncyCastle; private keys as PKCS#8 ("PRIVATE KEY"), mode 600. */
public final class PemFiles {

  private PemFiles() {}

  public static void writeCertificates(Path file, X509Certificate... certificates) throws IOException {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  public static PrivateKey readPrivateKey(Path file) throws IOException {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }
}
