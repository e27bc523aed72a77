package io.fedsecure.cli.http;

import io.fedsecure.cli.CliException;
import io.fedsecure.crypto.pki.PemFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the operator's TLS context from PEM files: trust only the federation CA (not the JDK's
 * public roots, which could vouch for any host), present the operator certificate.
 */
public final class TlsContexts {

  private TlsContexts() {}

  public static SSLContext operatorContext(Path caCertificates, Path certificate, Path privateKey) {
    List<X509Certificate> roots = readCertificates(caCertificates, "root certificates");
    List<X509Certificate> chain = readCertificates(certificate, "operator certificate");
    PrivateKey key = readKey(privateKey);
    requireMatchingPair(key, chain.get(0), certificate, privateKey);
    try {
      KeyStore trust = emptyStore();
      for (int i = 0; i < roots.size(); i++) {
        trust.setCertificateEntry("ca-" + i, roots.get(i));
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);

      // The store never leaves memory; the password only satisfies the KeyStore API.
      char[] password = new char[0];
      KeyStore identity = emptyStore();
      identity.setKeyEntry("operator", key, password, chain.toArray(new X509Certificate[0]));
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(identity, password);

      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new CliException(
          "cannot use operator certificate "
              + certificate
              + " with key "
              + privateKey
              + ": "
              + e.getMessage());
    }
  }

  /**
   * A key from another certificate only fails later as a vague handshake error on the server's
   * side; a trial signature names the mismatch up front.
   */
  private static void requireMatchingPair(
      PrivateKey key, X509Certificate leaf, Path certificate, Path privateKey) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "EC", "ECDSA" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          default -> null;
        };
    if (algorithm == null) {
      return;
    }
    try {
      byte[] probe =
          "fedsecure operator key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw new CliException(
            "operator key " + privateKey + " does not belong to certificate " + certificate);
      }
    } catch (GeneralSecurityException e) {
      throw new CliException(
          "operator key "
              + privateKey
              + " does not belong to certificate "
              + certificate
              + ": "
              + e.getMessage());
    }
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      return store;
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static List<X509Certificate> readCertificates(Path file, String what) {
    requireFile(file, what);
    try {
      List<X509Certificate> certificates = PemFiles.readCertificates(file);
      if (certificates.isEmpty()) {
        throw new CliException(what + " file " + file + " holds no PEM certificate");
      }
      return certificates;
    } catch (IOException | RuntimeException e) {
      if (e instanceof CliException cli) {
        throw cli;
      }
      throw new CliException("cannot read " + what + " file " + file + ": " + e.getMessage());
    }
  }

  private static PrivateKey readKey(Path file) {
    requireFile(file, "operator key");
    try {
      return PemFiles.readPrivateKey(file);
    } catch (IOException | RuntimeException e) {
      // The parser's message is about structure, never the key bytes.
      throw new CliException("cannot read operator key file " + file + ": " + e.getMessage());
    }
  }

  private static void requireFile(Path file, String what) {
    if (!Files.isRegularFile(file)) {
      throw new CliException(
          what
              + " file "
              + file
              + " not found (run scripts/generate_cert.sh, or fix the path in pyproject.toml)");
    }
  }
}
