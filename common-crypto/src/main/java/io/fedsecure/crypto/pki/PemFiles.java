package io.fedsecure.crypto.pki;

import io.fedsecure.crypto.internal.SecureFiles;
import io.fedsecure.crypto.keys.KeyFileException;
import io.fedsecure.crypto.keys.PrivateKeyFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/** PEM reading and writing with BouncyCastle; private keys as PKCS#8 ("PRIVATE KEY"), mode 600. */
public final class PemFiles {

  private PemFiles() {}

  public static void writeCertificates(Path file, X509Certificate... certificates)
      throws IOException {
    if (certificates.length == 0) {
      throw new IllegalArgumentException("no certificate to write to " + file);
    }
    StringWriter out = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
      for (X509Certificate c : certificates) {
        pem.writeObject(c);
      }
    }
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Files.writeString(file, out.toString(), StandardCharsets.US_ASCII);
  }

  /** PKCS#8, because Netty's PEM loading refuses SEC1 ("EC PRIVATE KEY"); written with mode 600. */
  public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
    SecureFiles.writeOwnerOnly(file, pkcs8Pem(key).getBytes(StandardCharsets.US_ASCII), true);
  }

  static String pkcs8Pem(PrivateKey key) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(new JcaPKCS8Generator(key, null));
    } catch (IOException e) {
      throw new IllegalStateException("could not encode a private key as PKCS#8", e);
    }
    return out.toString();
  }

  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    List<X509Certificate> certificates = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (PEMParser parser = new PEMParser(open(file))) {
      Object o;
      while ((o = readNext(parser, file)) != null) {
        if (o instanceof X509CertificateHolder holder) {
          try {
            certificates.add(converter.getCertificate(holder));
          } catch (CertificateException e) {
            throw new IOException(file + ": unreadable certificate: " + e.getMessage(), e);
          }
        }
      }
    }
    if (certificates.isEmpty()) {
      throw new IOException(
          file + " holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)");
    }
    return certificates;
  }

  /**
   * Reads PKCS#8 ("PRIVATE KEY") or SEC1 ("EC PRIVATE KEY"); an "EC PARAMETERS" block before it is
   * skipped.
   */
  public static PrivateKey readPrivateKey(Path file) throws IOException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    String text;
    try {
      text = PrivateKeyFiles.readText(file, "private key");
    } catch (KeyFileException e) {
      throw new IOException(e.getMessage(), e);
    }
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      Object o;
      while ((o = readNext(parser, file)) != null) {
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
          return converter.getKeyPair(pair).getPrivate();
        }
        if (o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair) {
          throw new IOException(
              file
                  + " holds an encrypted private key; decrypt it first, e.g. "
                  + "`openssl pkey -in "
                  + file
                  + " -out <plain.key>`, and keep the result mode 600");
        }
      }
    }
    throw new IOException(
        file
            + " holds no PEM private key (expected -----BEGIN PRIVATE KEY----- "
            + "or -----BEGIN EC PRIVATE KEY-----)");
  }

  private static Reader open(Path file) throws IOException {
    try {
      return Files.newBufferedReader(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "PEM file does not exist");
    }
  }

  private static Object readNext(PEMParser parser, Path file) throws IOException {
    try {
      return parser.readObject();
    } catch (IOException | RuntimeException e) {
      // The parser's own message can quote the PEM body; keep only what kind of failure it was.
      throw new IOException(file + " is not valid PEM (" + e.getClass().getSimpleName() + ")");
    }
  }
}
