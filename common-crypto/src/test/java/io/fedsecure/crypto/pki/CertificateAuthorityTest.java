package io.fedsecure.crypto.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsecure.crypto.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {

  private static final Duration DAY = Duration.ofDays(1);
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  @TempDir Path dir;

  @Test
  void caCertificateIsACaWithKeyCertSign() {
    X509Certificate ca = CertificateAuthority.create("test CA", DAY).caCertificate().certificate();
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=test CA");
  }

  @Test
  void serverCertificateHasLocalSansPlusExtraNamesWithIpLiteralsAsIpAddresses() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("test CA", DAY);
    X509Certificate server =
        ca.issueServer("superlink", List.of("superlink.example", "10.1.2.3"), DAY).certificate();

    Set<List<?>> sans = Set.copyOf(server.getSubjectAlternativeNames());
    assertThat(sans)
        .containsExactlyInAnyOrder(
            List.of(2, "localhost"),
            List.of(7, "127.0.0.1"),
            List.of(7, "0:0:0:0:0:0:0:1"),
            List.of(2, "superlink.example"),
            List.of(7, "10.1.2.3"));
    assertThat(server.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
    assertThat(server.getBasicConstraints()).isEqualTo(-1);
    assertThat(ClientRole.of(server)).isEmpty();
  }

  @Test
  void clientCertificatesRecordTheirRoleInTheOu() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("test CA", DAY);
    X509Certificate node = ca.issueClient("node-1", ClientRole.SUPERNODE, DAY).certificate();
    X509Certificate op = ca.issueClient("alice", ClientRole.OPERATOR, DAY).certificate();

    assertThat(node.getSubjectX500Principal().getName()).isEqualTo("CN=node-1,OU=supernodes");
    assertThat(op.getSubjectX500Principal().getName()).isEqualTo("CN=alice,OU=operators");
    assertThat(ClientRole.of(node)).contains(ClientRole.SUPERNODE);
    assertThat(ClientRole.of(op)).contains(ClientRole.OPERATOR);
    assertThat(node.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
  }

  @Test
  void issuedCertificatesChainToTheCaAndNotToAnotherCa() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("test CA", DAY);
    CertificateAuthority other = CertificateAuthority.create("other CA", DAY);
    X509Certificate server = ca.issueServer("superlink", List.of(), DAY).certificate();
    X509Certificate client = ca.issueClient("node-1", ClientRole.SUPERNODE, DAY).certificate();

    validate(server, ca.caCertificate().certificate());
    validate(client, ca.caCertificate().certificate());
    assertThatThrownBy(() -> validate(client, other.caCertificate().certificate()))
        .isInstanceOf(java.security.cert.CertPathValidatorException.class);
  }

  @Test
  void pemFilesRoundTripAndKeysAreOwnerOnlyPkcs8() throws Exception {
    TestPki pki = TestPki.create(dir);
    TestPki.ClientFiles node = pki.client("node-1", ClientRole.SUPERNODE);

    assertThat(Files.readString(pki.serverKeyFile())).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(node.keyFile())))
        .isEqualTo("rw-------");
    X509Certificate server = PemFiles.readCertificates(pki.serverCertFile()).get(0);
    validate(server, PemFiles.readCertificates(pki.caCertFile()).get(0));
    X509Certificate client = PemFiles.readCertificates(node.certFile()).get(0);
    assertThat(ClientRole.of(client)).contains(ClientRole.SUPERNODE);
    assertThat(PemFiles.readPrivateKey(node.keyFile()).getAlgorithm()).isEqualTo("EC");

    CertificateAuthority reloaded =
        CertificateAuthority.load(pki.caCertFile(), dir.resolve("ca.key"));
    validate(
        reloaded.issueClient("bob", ClientRole.OPERATOR, DAY).certificate(),
        pki.authority().caCertificate().certificate());
  }

  @Test
  void certificateChainsRoundTripInOrder() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("test CA", DAY);
    X509Certificate leaf = ca.issueServer("s", List.of(), DAY).certificate();
    Path file = dir.resolve("chain.pem");
    PemFiles.writeCertificates(file, leaf, ca.caCertificate().certificate());
    assertThat(PemFiles.readCertificates(file))
        .containsExactly(leaf, ca.caCertificate().certificate());
  }

  @Test
  void readsSec1PrivateKeysToo() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("test CA", DAY);
    var key = ca.caCertificate().privateKey();
    var sec1 =
        org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded())
            .parsePrivateKey()
            .toASN1Primitive()
            .getEncoded();
    Path file = dir.resolve("sec1.key");
    try (var w = new org.bouncycastle.util.io.pem.PemWriter(Files.newBufferedWriter(file))) {
      w.writeObject(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1));
    }
    Files.setPosixFilePermissions(
        file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    assertThat(PemFiles.readPrivateKey(file)).isEqualTo(key);
  }

  @Test
  void loadRefusesAKeyOfAnotherCertificateAndNamesTheFiles() throws Exception {
    TestPki pki = TestPki.create(dir);
    assertThatThrownBy(() -> CertificateAuthority.load(pki.caCertFile(), pki.serverKeyFile()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("server.key")
        .hasMessageContaining("ca.crt");
    assertThatThrownBy(() -> CertificateAuthority.load(pki.serverCertFile(), pki.serverKeyFile()))
        .hasMessageContaining("not a CA certificate");
  }

  @Test
  void readingNonPemSaysWhichFile() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "hello");
    assertThatThrownBy(() -> PemFiles.readCertificates(garbage))
        .hasMessageContaining("garbage.pem");
    assertThatThrownBy(() -> PemFiles.readPrivateKey(garbage)).hasMessageContaining("garbage.pem");
    assertThatThrownBy(() -> PemFiles.readPrivateKey(dir.resolve("missing.key")))
        .hasMessageContaining("missing.key");
  }

  private static void validate(X509Certificate leaf, X509Certificate ca) throws Exception {
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    params.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params);
  }

  @SuppressWarnings("unused")
  private static Set<String> names(Set<List<?>> sans) {
    return sans.stream().map(l -> String.valueOf(l.get(1))).collect(Collectors.toSet());
  }
}
