package io.fedsecure.superlink.auth;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.ServerTransportFilter;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Counts open Fleet connections per client certificate. A connection beyond the cap stays open but
 * is marked, and the auth interceptor refuses its calls: one certificate cannot take every
 * connection slot the SuperLink has.
 */
final class CertificateConnections extends ServerTransportFilter {

  /** Set on a connection that is over its certificate's cap. */
  static final Attributes.Key<Boolean> OVER_CAP =
      Attributes.Key.create("fedsecure-over-certificate-cap");

  private static final Attributes.Key<String> CERTIFICATE =
      Attributes.Key.create("fedsecure-certificate-sha256");

  private final int maxPerCertificate;
  private final Map<String, Integer> open = new ConcurrentHashMap<>();

  CertificateConnections(int maxPerCertificate) {
    this.maxPerCertificate = maxPerCertificate;
  }

  int maxPerCertificate() {
    return maxPerCertificate;
  }

  @Override
  public Attributes transportReady(Attributes attributes) {
    String certificate = leafFingerprint(attributes.get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    if (certificate == null) {
      return attributes;
    }
    int count = open.merge(certificate, 1, Integer::sum);
    return attributes.toBuilder()
        .set(CERTIFICATE, certificate)
        .set(OVER_CAP, count > maxPerCertificate)
        .build();
  }

  @Override
  public void transportTerminated(Attributes attributes) {
    String certificate = attributes.get(CERTIFICATE);
    if (certificate != null) {
      open.computeIfPresent(certificate, (c, n) -> n == 1 ? null : n - 1);
    }
  }

  private static String leafFingerprint(SSLSession session) {
    if (session == null) {
      return null;
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length == 0
          ? null
          : HexFormat.of()
              .formatHex(MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded()));
    } catch (SSLPeerUnverifiedException | CertificateEncodingException e) {
      return null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }
}
