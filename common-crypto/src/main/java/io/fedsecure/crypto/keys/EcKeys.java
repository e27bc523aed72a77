package io.fedsecure.crypto.keys;

import io.fedsecure.crypto.internal.BouncyCastle;
import io.fedsecure.crypto.internal.EcCurves;
import io.fedsecure.crypto.internal.JdkKeys;
import io.fedsecure.crypto.internal.SecureFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * SuperNode identity keys: EC P-384 (P-256 also accepted). Reads and writes PEM (PKCS#8 private,
 * SPKI public) and OpenSSH (what Flower's key scripts and {@code ssh-keygen -t ecdsa -b 384}
 * write). All keys returned are JDK (SunEC) keys, whatever format they were read from.
 */
public final class EcKeys {

  static final Pattern PEM_PRIVATE = Pattern.compile("-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----");
  static final String OPENSSH_PRIVATE = "OPENSSH PRIVATE KEY";
  static final String ACCEPTED =
      "SuperNode keys must be EC P-384 (secp384r1, ecdsa-sha2-nistp384) "
          + "or P-256 (secp256r1, ecdsa-sha2-nistp256)";
  private static final SecureRandom RANDOM = new SecureRandom();

  private EcKeys() {}

  /** A fresh P-384 key pair (BouncyCastle generation). */
  public static KeyPair generateP384() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BouncyCastle.PROVIDER);
      g.initialize(new ECGenParameterSpec("secp384r1"), RANDOM);
      return JdkKeys.ec(g.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-384 key generation is unavailable", e);
    }
  }

  /**
   * Parses a public key from PEM ({@code -----BEGIN PUBLIC KEY-----}) or OpenSSH ({@code
   * ecdsa-sha2-nistp384 AAAA... comment}) text. Refuses private keys, other curves and other
   * algorithms with a message that says which.
   */
  public static PublicKey parsePublicKey(String text) throws KeyFormatException {
    if (text == null || text.isBlank()) {
      throw new KeyFormatException("the public key text is empty");
    }
    String trimmed = text.strip();
    if (PEM_PRIVATE.matcher(trimmed).find()) {
      throw new KeyFormatException(
          "this is a private key; register the .pub file (the public key) instead, "
              + "and keep the private key on the SuperNode");
    }
    if (trimmed.startsWith("-----BEGIN")) {
      return parsePemPublic(trimmed);
    }
    return parseOpenSshPublic(trimmed);
  }

  private static PublicKey parsePemPublic(String pem) throws KeyFormatException {
    Object o;
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      o = parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new KeyFormatException(
          "not a valid PEM public key (" + e.getClass().getSimpleName() + ")");
    }
    if (o instanceof SubjectPublicKeyInfo spki) {
      return fromSpkiInfo(spki);
    }
    if (o instanceof org.bouncycastle.cert.X509CertificateHolder) {
      throw new KeyFormatException(
          "this is a certificate, not a public key; give the node's public key "
              + "(-----BEGIN PUBLIC KEY----- or an ecdsa-sha2-nistp384 line)");
    }
    throw new KeyFormatException("not a PEM public key: expected -----BEGIN PUBLIC KEY-----");
  }

  private static PublicKey parseOpenSshPublic(String line) throws KeyFormatException {
    String[] parts = line.split("\\s+", 3);
    if (parts.length < 2 || !parts[0].matches("[a-z0-9@.\\-]+") || !parts[1].startsWith("AAAA")) {
      throw new KeyFormatException(
          "not a public key: expected PEM (-----BEGIN PUBLIC KEY-----) or an "
              + "OpenSSH line (ecdsa-sha2-nistp384 AAAA... comment)");
    }
    String type = parts[0];
    EcCurves curve = null;
    for (EcCurves c : EcCurves.values()) {
      if (c.sshKeyType().equals(type)) {
        curve = c;
      }
    }
    if (curve == null) {
      if (type.startsWith("ecdsa-sha2-")) {
        throw new KeyFormatException(
            "unsupported curve " + type.substring("ecdsa-sha2-".length()) + ": " + ACCEPTED);
      }
      throw new KeyFormatException("unsupported key algorithm " + type + ": " + ACCEPTED);
    }
    byte[] blob;
    AsymmetricKeyParameter parameter;
    try {
      blob = Base64.getDecoder().decode(parts[1]);
      parameter = OpenSSHPublicKeyUtil.parsePublicKey(blob);
    } catch (RuntimeException e) {
      throw new KeyFormatException(
          "the OpenSSH "
              + type
              + " key is corrupt: its base64 body does not decode "
              + "to a key ("
              + e.getClass().getSimpleName()
              + ")");
    }
    if (!(parameter instanceof ECPublicKeyParameters ec)) {
      throw new KeyFormatException(
          "the OpenSSH line says " + type + " but its body is another key type");
    }
    PublicKey key;
    try {
      key = fromSpkiInfo(SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(ec));
    } catch (IOException e) {
      throw new KeyFormatException("the OpenSSH " + type + " key cannot be re-encoded", e);
    }
    if (EcCurves.of(key).orElse(null) != curve) {
      throw new KeyFormatException(
          "the OpenSSH line says " + type + " but its body holds a key on another curve");
    }
    return key;
  }

  /** Reads a public key file in either PEM or OpenSSH form. */
  public static PublicKey readPublicKey(Path file) throws KeyFileException {
    String text = KeyFileText.read(file, "public key");
    try {
      return parsePublicKey(text);
    } catch (KeyFormatException e) {
      throw new KeyFileException(file + ": " + e.getMessage());
    }
  }

  /**
   * Writes the private key in OpenSSH format (mode 600) and {@code file + ".pub"} in OpenSSH form.
   * Refuses to overwrite an existing private key: that would silently replace a node's identity.
   */
  public static void writeOpenSsh(KeyPair pair, Path privateKeyFile, String comment)
      throws KeyFileException {
    EcCurves.require(pair.getPublic());
    byte[] blob;
    try {
      AsymmetricKeyParameter priv = PrivateKeyFactory.createKey(pair.getPrivate().getEncoded());
      blob = OpenSSHPrivateKeyUtil.encodePrivateKey(priv);
    } catch (IOException | RuntimeException e) {
      throw new KeyFileException(
          "cannot encode the private key for "
              + privateKeyFile
              + " in OpenSSH format ("
              + e.getClass().getSimpleName()
              + ")");
    }
    StringWriter out = new StringWriter();
    try (PemWriter pem = new PemWriter(out)) {
      pem.writeObject(new PemObject(OPENSSH_PRIVATE, blob));
    } catch (IOException e) {
      throw new IllegalStateException("writing to a string failed", e);
    }
    Path pubFile = privateKeyFile.resolveSibling(privateKeyFile.getFileName() + ".pub");
    try {
      SecureFiles.writeOwnerOnly(
          privateKeyFile, out.toString().getBytes(StandardCharsets.US_ASCII), false);
      Files.writeString(
          pubFile, toOpenSshPublic(pair.getPublic(), comment) + "\n", StandardCharsets.US_ASCII);
    } catch (FileAlreadyExistsException e) {
      throw new KeyFileException(
          privateKeyFile
              + " already exists; refusing to overwrite a node identity key "
              + "(delete it first, or choose another path)");
    } catch (IOException e) {
      throw new KeyFileException(
          "cannot write " + privateKeyFile + " or " + pubFile + ": " + e.getMessage(), e);
    }
  }

  public static String toPemPublic(PublicKey key) {
    StringWriter out = new StringWriter();
    try (PemWriter pem = new PemWriter(out)) {
      pem.writeObject(new PemObject("PUBLIC KEY", key.getEncoded()));
    } catch (IOException e) {
      throw new IllegalStateException("writing to a string failed", e);
    }
    return out.toString();
  }

  public static String toPemPrivatePkcs8(PrivateKey key) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(new JcaPKCS8Generator(key, null));
    } catch (IOException e) {
      throw new IllegalStateException("could not encode the private key as PKCS#8");
    }
    return out.toString();
  }

  public static String toOpenSshPublic(PublicKey key, String comment) {
    EcCurves curve = EcCurves.require(key);
    byte[] blob;
    try {
      blob = OpenSSHPublicKeyUtil.encodePublicKey(PublicKeyFactory.createKey(key.getEncoded()));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot encode the public key in OpenSSH form", e);
    }
    String line = curve.sshKeyType() + " " + Base64.getEncoder().encodeToString(blob);
    return comment == null || comment.isBlank() ? line : line + " " + comment.strip();
  }

  /** "SHA256:" + unpadded base64 of SHA-256 over the SubjectPublicKeyInfo DER. */
  public static String fingerprint(PublicKey key) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  /** Decodes SubjectPublicKeyInfo DER (as sent in {@code flwr-public-key-bin}). */
  public static PublicKey fromSpki(byte[] der) throws KeyFormatException {
    if (der == null || der.length == 0) {
      throw new KeyFormatException("the public key (SubjectPublicKeyInfo DER) is empty");
    }
    SubjectPublicKeyInfo info;
    try {
      info =
          SubjectPublicKeyInfo.getInstance(org.bouncycastle.asn1.ASN1Primitive.fromByteArray(der));
    } catch (IOException | RuntimeException e) {
      throw new KeyFormatException("not a DER SubjectPublicKeyInfo public key");
    }
    return fromSpkiInfo(info);
  }

  static PublicKey fromSpkiInfo(SubjectPublicKeyInfo info) throws KeyFormatException {
    ASN1ObjectIdentifier curveOid = SpkiChecks.requireSupportedEc(info.getAlgorithm());
    SpkiChecks.requirePointOnCurve(curveOid, info.getPublicKeyData().getOctets());
    try {
      return JdkKeys.ecPublic(info.getEncoded());
    } catch (IOException | IllegalArgumentException e) {
      throw new KeyFormatException(
          "the EC public key is not usable (" + e.getClass().getSimpleName() + ")");
    }
  }
}
