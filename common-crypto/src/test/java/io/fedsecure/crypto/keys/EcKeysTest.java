package io.fedsecure.crypto.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EcKeysTest {

  @TempDir Path dir;

  @Test
  void generatesP384() {
    KeyPair pair = EcKeys.generateP384();
    assertThat(((ECPublicKey) pair.getPublic()).getParams().getOrder().bitLength()).isEqualTo(384);
  }

  @Test
  void pemPublicKeyRoundTrips() throws Exception {
    KeyPair pair = EcKeys.generateP384();
    String pem = EcKeys.toPemPublic(pair.getPublic());
    assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----");
    assertThat(EcKeys.parsePublicKey(pem)).isEqualTo(pair.getPublic());
    assertThat(EcKeys.fromSpki(pair.getPublic().getEncoded())).isEqualTo(pair.getPublic());
  }

  @Test
  void pemPrivateKeyRoundTripsAndDerivesThePublicKey() throws Exception {
    KeyPair pair = EcKeys.generateP384();
    Path file =
        ownerOnly(
            Files.writeString(
                dir.resolve("node.key"), EcKeys.toPemPrivatePkcs8(pair.getPrivate())));
    KeyPair read = EcPrivateKeys.readKeyPair(file);
    assertThat(read.getPrivate()).isEqualTo(pair.getPrivate());
    assertThat(read.getPublic()).isEqualTo(pair.getPublic());
  }

  @Test
  void openSshRoundTripsWithModeSixHundredAndAOneLinePubFile() throws Exception {
    KeyPair pair = EcKeys.generateP384();
    Path file = dir.resolve("node_key");
    EcKeys.writeOpenSsh(pair, file, "node-1@test");

    assertThat(Files.readString(file)).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    String pub = Files.readString(dir.resolve("node_key.pub"));
    assertThat(pub).matches("ecdsa-sha2-nistp384 AAAA[A-Za-z0-9+/=]+ node-1@test\n");
    assertThat(EcKeys.readPublicKey(dir.resolve("node_key.pub"))).isEqualTo(pair.getPublic());
    KeyPair read = EcPrivateKeys.readKeyPair(file);
    assertThat(read.getPublic()).isEqualTo(pair.getPublic());
    assertThat(read.getPrivate()).isEqualTo(pair.getPrivate());
  }

  @Test
  void writeOpenSshRefusesToOverwriteAnIdentityKey() throws Exception {
    Path file = dir.resolve("node_key");
    EcKeys.writeOpenSsh(EcKeys.generateP384(), file, "");
    assertThatThrownBy(() -> EcKeys.writeOpenSsh(EcKeys.generateP384(), file, ""))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("already exists");
  }

  @Test
  void readsKeysMadeBySshKeygenAndSshKeygenReadsOurs() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/ssh-keygen")),
        "ssh-keygen is not installed: skipping the OpenSSH interop test");
    Path theirs = dir.resolve("id_ecdsa");
    run(
        "ssh-keygen",
        "-q",
        "-t",
        "ecdsa",
        "-b",
        "384",
        "-N",
        "",
        "-C",
        "made-by-ssh-keygen",
        "-f",
        theirs.toString());
    KeyPair pair = EcPrivateKeys.readKeyPair(theirs);
    assertThat(EcKeys.readPublicKey(dir.resolve("id_ecdsa.pub"))).isEqualTo(pair.getPublic());
    assertSignsAndVerifies(pair);

    Path p256 = dir.resolve("id_p256");
    run("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-f", p256.toString());
    assertThat(EcPrivateKeys.readKeyPair(p256).getPublic())
        .isEqualTo(EcKeys.readPublicKey(dir.resolve("id_p256.pub")));

    Path ours = dir.resolve("ours");
    KeyPair mine = EcKeys.generateP384();
    EcKeys.writeOpenSsh(mine, ours, "x");
    String derived = run("ssh-keygen", "-y", "-f", ours.toString()).strip();
    assertThat(EcKeys.parsePublicKey(derived)).isEqualTo(mine.getPublic());
  }

  @Test
  void readsSec1PrivateKeys() throws Exception {
    KeyPair pair = EcKeys.generateP384();
    byte[] sec1 =
        org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded())
            .parsePrivateKey()
            .toASN1Primitive()
            .getEncoded();
    String pem =
        "-----BEGIN EC PRIVATE KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(sec1)
            + "\n-----END EC PRIVATE KEY-----\n";
    KeyPair read =
        EcPrivateKeys.readKeyPair(ownerOnly(Files.writeString(dir.resolve("sec1.key"), pem)));
    assertThat(read.getPublic()).isEqualTo(pair.getPublic());
  }

  @Test
  void refusesAPrivateKeyGivenAsPublic() {
    KeyPair pair = EcKeys.generateP384();
    assertThatThrownBy(() -> EcKeys.parsePublicKey(EcKeys.toPemPrivatePkcs8(pair.getPrivate())))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("this is a private key; register the .pub file");
  }

  @Test
  void refusesOtherCurvesNamingThem() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
    g.initialize(new ECGenParameterSpec("secp256k1"));
    String pem = EcKeys.toPemPublic(g.generateKeyPair().getPublic());
    assertThatThrownBy(() -> EcKeys.parsePublicKey(pem))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("unsupported curve secp256k1")
        .hasMessageContaining("P-384")
        .hasMessageContaining("P-256");
    assertThatThrownBy(
            () -> EcKeys.parsePublicKey("ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjE= c"))
        .hasMessageContaining("unsupported curve nistp521");
  }

  @Test
  void acceptsP256() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    PublicKey key = g.generateKeyPair().getPublic();
    assertThat(EcKeys.parsePublicKey(EcKeys.toOpenSshPublic(key, "c"))).isEqualTo(key);
    assertThat(EcKeys.toOpenSshPublic(key, "")).startsWith("ecdsa-sha2-nistp256 AAAA");
  }

  @Test
  void refusesOtherAlgorithmsNamingThem() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    String rsaPem = EcKeys.toPemPublic(rsa.generateKeyPair().getPublic());
    assertThatThrownBy(() -> EcKeys.parsePublicKey(rsaPem))
        .hasMessageContaining("unsupported key algorithm RSA");
    PublicKey ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic();
    assertThatThrownBy(() -> EcKeys.fromSpki(ed.getEncoded()))
        .hasMessageContaining("unsupported key algorithm Ed25519");
    assertThatThrownBy(
            () ->
                EcKeys.parsePublicKey(
                    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@host"))
        .hasMessageContaining("unsupported key algorithm ssh-ed25519");
  }

  @Test
  void refusesGarbageWithDistinctMessages() {
    assertThatThrownBy(() -> EcKeys.parsePublicKey("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> EcKeys.parsePublicKey("hello world"))
        .hasMessageContaining("not a public key: expected PEM");
    assertThatThrownBy(() -> EcKeys.parsePublicKey("ecdsa-sha2-nistp384 AAAA!!!notbase64"))
        .hasMessageContaining("corrupt");
    assertThatThrownBy(
            () ->
                EcKeys.parsePublicKey(
                    "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"))
        .isInstanceOf(KeyFormatException.class);
    assertThatThrownBy(() -> EcKeys.fromSpki(new byte[] {1, 2, 3}))
        .hasMessageContaining("not a DER SubjectPublicKeyInfo");
  }

  @Test
  void refusesAPointNotOnTheCurve() throws Exception {
    byte[] spki = EcKeys.generateP384().getPublic().getEncoded();
    spki[spki.length - 1] ^= 1;
    assertThatThrownBy(() -> EcKeys.fromSpki(spki)).hasMessageContaining("not a valid point");
  }

  @Test
  void keyFileErrorsNameTheFile() throws Exception {
    Path missing = dir.resolve("missing.key");
    assertThatThrownBy(() -> EcPrivateKeys.readKeyPair(missing))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist");
    Path pub =
        ownerOnly(
            Files.writeString(
                dir.resolve("node.pub"), EcKeys.toPemPublic(EcKeys.generateP384().getPublic())));
    assertThatThrownBy(() -> EcPrivateKeys.readKeyPair(pub))
        .hasMessageContaining(pub.toString())
        .hasMessageContaining("this is a public key");
    Path junk = Files.writeString(dir.resolve("junk.pub"), "junk");
    assertThatThrownBy(() -> EcKeys.readPublicKey(junk)).hasMessageContaining(junk.toString());
  }

  @Test
  void refusesPassphraseProtectedOpenSshKeys() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/ssh-keygen")), "ssh-keygen is not installed");
    Path key = dir.resolve("locked");
    run("ssh-keygen", "-q", "-t", "ecdsa", "-b", "384", "-N", "secret-pass", "-f", key.toString());
    assertThatThrownBy(() -> EcPrivateKeys.readKeyPair(key))
        .hasMessageContaining("passphrase")
        .hasMessageContaining(key.toString());
  }

  @Test
  void fingerprintIsSha256OfSpki() throws Exception {
    PublicKey key = EcKeys.generateP384().getPublic();
    byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
    assertThat(EcKeys.fingerprint(key))
        .isEqualTo("SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(hash));
  }

  private static void assertSignsAndVerifies(KeyPair pair) throws Exception {
    Signature s = Signature.getInstance("SHA384withECDSA");
    s.initSign(pair.getPrivate());
    s.update(new byte[] {1, 2, 3});
    byte[] sig = s.sign();
    Signature v = Signature.getInstance("SHA384withECDSA");
    v.initVerify(pair.getPublic());
    v.update(new byte[] {1, 2, 3});
    assertThat(v.verify(sig)).isTrue();
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  /** Private key files must be mode 600 to be read at all. */
  private static Path ownerOnly(Path file) throws java.io.IOException {
    return Files.setPosixFilePermissions(
        file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
  }
}
