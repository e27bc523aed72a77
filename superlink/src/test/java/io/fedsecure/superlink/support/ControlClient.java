package io.fedsecure.superlink.support;

import io.fedsecure.crypto.pki.PemFiles;
import io.fedsecure.crypto.testing.TestPki;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** An HTTPS client of the Control API, with or without a client certificate. */
public final class ControlClient {

  private final HttpClient http;
  private final URI base;

  private ControlClient(HttpClient http, URI base) {
    this.http = http;
    this.base = base;
  }

  public static ControlClient withCertificate(
      SuperLinkFixture superlink, TestPki.ClientFiles certificate) {
    return new ControlClient(
        client(sslContext(superlink.pki().caCertFile(), certificate)), base(superlink));
  }

  public static ControlClient withoutCertificate(SuperLinkFixture superlink) {
    return new ControlClient(
        client(sslContext(superlink.pki().caCertFile(), null)), base(superlink));
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  public HttpResponse<String> post(String path, String json)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  public HttpResponse<String> delete(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
  }

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return http.send(
        request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI base(SuperLinkFixture superlink) {
    return URI.create("https://127.0.0.1:" + superlink.controlPort() + "/");
  }

  private static HttpClient client(SSLContext ssl) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .sslContext(ssl)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  public static SSLContext sslContext(java.nio.file.Path caFile, TestPki.ClientFiles certificate) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      List<X509Certificate> cas = PemFiles.readCertificates(caFile);
      for (int i = 0; i < cas.size(); i++) {
        trust.setCertificateEntry("ca-" + i, cas.get(i));
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      KeyManagerFactory kmf = null;
      if (certificate != null) {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        char[] password = "in-memory".toCharArray();
        keys.setKeyEntry(
            "client",
            PemFiles.readPrivateKey(certificate.keyFile()),
            password,
            PemFiles.readCertificates(certificate.certFile()).toArray(X509Certificate[]::new));
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
      }
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ssl;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
