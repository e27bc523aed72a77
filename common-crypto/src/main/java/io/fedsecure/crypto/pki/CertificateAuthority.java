package io.fedsecure.crypto.pki;

import io.fedsecure.crypto.internal.BouncyCastle;
import io.fedsecure.crypto.internal.JdkKeys;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * A small CA for the federation (BouncyCastle): issues the SuperLink's server certificate and
 * client certificates for SuperNodes and operators. Keys are EC P-256.
 */
public final class CertificateAuthority {

  private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

  /**
   * Certificates start slightly in the past so a peer whose clock lags a little still accepts them.
   */
  private static final Duration BACKDATE = Duration.ofMinutes(5);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final IssuedCertificate ca;
  private final X500Name caName;

  private CertificateAuthority(IssuedCertificate ca) {
    this.ca = ca;
    this.caName = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
  }

  public static CertificateAuthority create(String commonName, Duration validity) {
    requireName(commonName, "commonName");
    KeyPair keys = newKeyPair();
    X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    try {
      X509v3CertificateBuilder builder = builder(name, name, keys.getPublic(), validity);
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate cert = sign(builder, keys.getPrivate());
      return new CertificateAuthority(new IssuedCertificate(cert, keys.getPrivate()));
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("could not create the CA certificate", e);
    }
  }

  /** Loads a CA from its certificate and PKCS#8 key PEM files. */
  public static CertificateAuthority load(Path certificatePem, Path privateKeyPem)
      throws IOException {
    X509Certificate cert = PemFiles.readCertificates(certificatePem).get(0);
    PrivateKey key = PemFiles.readPrivateKey(privateKeyPem);
    if (cert.getBasicConstraints() < 0) {
      throw new IOException(
          certificatePem + " is not a CA certificate (no BasicConstraints CA=true)");
    }
    if (!belongTogether(cert.getPublicKey(), key)) {
      throw new IOException(
          "the private key in "
              + privateKeyPem
              + " does not belong to the certificate in "
              + certificatePem);
    }
    return new CertificateAuthority(new IssuedCertificate(cert, key));
  }

  public IssuedCertificate caCertificate() {
    return ca;
  }

  /** SANs: localhost, 127.0.0.1, ::1 plus {@code extraNames} (DNS names or IP literals). */
  public IssuedCertificate issueServer(
      String commonName, List<String> extraNames, Duration validity) {
    requireName(commonName, "commonName");
    Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
    for (String n : extraNames) {
      requireName(n, "extra server name");
      names.add(n.trim());
    }
    List<GeneralName> sans = new ArrayList<>();
    for (String n : names) {
      // IP literals must be iPAddress SANs: TLS clients never match an IP against a dNSName.
      sans.add(
          IPAddress.isValid(n)
              ? new GeneralName(GeneralName.iPAddress, n)
              : new GeneralName(GeneralName.dNSName, n));
    }
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    return issueLeaf(
        subject,
        KeyPurposeId.id_kp_serverAuth,
        new GeneralNames(sans.toArray(GeneralName[]::new)),
        validity);
  }

  /** A TLS client certificate whose subject OU records {@code role}. */
  public IssuedCertificate issueClient(String commonName, ClientRole role, Duration validity) {
    requireName(commonName, "commonName");
    Objects.requireNonNull(role, "role");
    // Encoded OU first so that X500Principal.getName() reads "CN=<name>,OU=<role>".
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.OU, role.organizationalUnit())
            .addRDN(BCStyle.CN, commonName)
            .build();
    return issueLeaf(subject, KeyPurposeId.id_kp_clientAuth, null, validity);
  }

  private IssuedCertificate issueLeaf(
      X500Name subject, KeyPurposeId purpose, GeneralNames sans, Duration validity) {
    KeyPair keys = newKeyPair();
    try {
      X509v3CertificateBuilder builder = builder(caName, subject, keys.getPublic(), validity);
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          ext.createAuthorityKeyIdentifier(ca.certificate().getPublicKey()));
      if (sans != null) {
        builder.addExtension(Extension.subjectAlternativeName, false, sans);
      }
      return new IssuedCertificate(sign(builder, ca.privateKey()), keys.getPrivate());
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("could not issue a certificate for " + subject, e);
    }
  }

  private static X509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, PublicKey key, Duration validity) {
    if (validity == null || validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("certificate validity must be positive, got " + validity);
    }
    Instant now = Instant.now();
    // 127 random bits: positive, unique in practice, within RFC 5280's 20-octet limit.
    BigInteger serial = new BigInteger(127, RANDOM).add(BigInteger.ONE);
    return new JcaX509v3CertificateBuilder(
        issuer,
        serial,
        Date.from(now.minus(BACKDATE)),
        Date.from(now.plus(validity)),
        subject,
        key);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("no " + SIGNATURE_ALGORITHM + " signer", e);
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BouncyCastle.PROVIDER);
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return JdkKeys.ec(g.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 key generation is unavailable", e);
    }
  }

  private static boolean belongTogether(PublicKey publicKey, PrivateKey privateKey) {
    try {
      byte[] probe = "fedsecure-ca-key-check".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(SIGNATURE_ALGORITHM);
      s.initSign(privateKey);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(SIGNATURE_ALGORITHM);
      v.initVerify(publicKey);
      v.update(probe);
      return v.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static void requireName(String name, String what) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
  }
}
