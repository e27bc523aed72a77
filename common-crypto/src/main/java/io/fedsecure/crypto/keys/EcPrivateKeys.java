package io.fedsecure.crypto.keys;

import io.fedsecure.crypto.internal.JdkKeys;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Reads EC private key files in the three forms operators meet: PEM PKCS#8, PEM SEC1 and OpenSSH
 * (what {@code ssh-keygen} and Flower's scripts write). Encrypted keys are refused with the command
 * that removes the passphrase; errors never quote key material.
 */
public final class EcPrivateKeys {

  private EcPrivateKeys() {}

  /** Reads a private key file: PEM PKCS#8, PEM SEC1 ("EC PRIVATE KEY") or OpenSSH private key. */
  public static KeyPair readKeyPair(Path privateKeyFile) throws KeyFileException {
    String text = PrivateKeyFiles.readText(privateKeyFile, "private key");
    try {
      PrivateKeyInfo info =
          text.contains("-----BEGIN " + EcKeys.OPENSSH_PRIVATE + "-----")
              ? openSshPrivateKeyInfo(text)
              : pemPrivateKeyInfo(text);
      return keyPairOf(info);
    } catch (KeyFormatException e) {
      throw new KeyFileException(privateKeyFile + ": " + e.getMessage());
    }
  }

  private static PrivateKeyInfo pemPrivateKeyInfo(String text) throws KeyFormatException {
    if (!EcKeys.PEM_PRIVATE.matcher(text).find()) {
      if (text.contains("-----BEGIN PUBLIC KEY-----") || text.strip().startsWith("ecdsa-sha2-")) {
        throw new KeyFormatException(
            "this is a public key; give the private key file (the one without .pub)");
      }
      throw new KeyFormatException(
          "no private key found: expected -----BEGIN OPENSSH PRIVATE KEY-----, "
              + "-----BEGIN PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----");
    }
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof PrivateKeyInfo info) {
          return info;
        }
        if (o instanceof PEMKeyPair pair) {
          return pair.getPrivateKeyInfo();
        }
        if (o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair) {
          throw new KeyFormatException(
              "the private key is encrypted; SuperNode keys must be stored unencrypted "
                  + "with mode 600 (e.g. `openssl pkey -in <file> -out <plain>`)");
        }
      }
    } catch (IOException | RuntimeException e) {
      // Parser messages can quote key material; report only the kind of failure.
      throw new KeyFormatException(
          "the PEM private key is corrupt (" + e.getClass().getSimpleName() + ")");
    }
    throw new KeyFormatException("no private key found in the PEM text");
  }

  private static PrivateKeyInfo openSshPrivateKeyInfo(String text) throws KeyFormatException {
    byte[] blob;
    try (PemReader reader = new PemReader(new StringReader(text))) {
      PemObject pem = reader.readPemObject();
      if (pem == null || !EcKeys.OPENSSH_PRIVATE.equals(pem.getType())) {
        throw new KeyFormatException("the OpenSSH private key block is corrupt");
      }
      blob = pem.getContent();
    } catch (IOException | RuntimeException e) {
      throw new KeyFormatException(
          "the OpenSSH private key block is corrupt (" + e.getClass().getSimpleName() + ")");
    }
    String cipher = OpenSshBlobs.cipherName(blob);
    if (cipher == null) {
      throw new KeyFormatException("the OpenSSH private key is corrupt (no openssh-key-v1 header)");
    }
    if (!"none".equals(cipher)) {
      throw new KeyFormatException(
          "the OpenSSH private key is protected by a passphrase; SuperNode keys must "
              + "be unencrypted: remove it with `ssh-keygen -p -N \"\" -f <file>`");
    }
    AsymmetricKeyParameter parameter;
    try {
      parameter = OpenSSHPrivateKeyUtil.parsePrivateKeyBlob(blob);
    } catch (RuntimeException e) {
      throw new KeyFormatException(
          "the OpenSSH private key is corrupt (" + e.getClass().getSimpleName() + ")");
    }
    if (!(parameter instanceof ECPrivateKeyParameters)) {
      throw new KeyFormatException(
          "unsupported key algorithm ("
              + parameter.getClass().getSimpleName().replace("PrivateKeyParameters", "")
              + "): "
              + EcKeys.ACCEPTED);
    }
    try {
      return PrivateKeyInfoFactory.createPrivateKeyInfo(parameter);
    } catch (IOException e) {
      throw new KeyFormatException("the OpenSSH private key cannot be re-encoded as PKCS#8");
    }
  }

  private static KeyPair keyPairOf(PrivateKeyInfo info) throws KeyFormatException {
    SpkiChecks.requireSupportedEc(info.getPrivateKeyAlgorithm());
    ECPrivateKeyParameters priv;
    byte[] pkcs8;
    try {
      priv = (ECPrivateKeyParameters) PrivateKeyFactory.createKey(info);
      pkcs8 = info.getEncoded();
    } catch (IOException | RuntimeException e) {
      throw new KeyFormatException(
          "the EC private key is corrupt (" + e.getClass().getSimpleName() + ")");
    }
    // The public key is derived rather than trusted from the file: SEC1 and PKCS#8 may omit it.
    ECPublicKeyParameters pub =
        new ECPublicKeyParameters(
            new FixedPointCombMultiplier()
                .multiply(priv.getParameters().getG(), priv.getD())
                .normalize(),
            priv.getParameters());
    try {
      PrivateKey privateKey = JdkKeys.ecPrivate(pkcs8);
      PublicKey publicKey =
          EcKeys.fromSpkiInfo(SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(pub));
      return new KeyPair(publicKey, privateKey);
    } catch (IOException | IllegalArgumentException e) {
      throw new KeyFormatException("the EC private key is not usable: " + e.getMessage());
    }
  }
}
