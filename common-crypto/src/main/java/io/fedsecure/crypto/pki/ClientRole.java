package io.fedsecure.crypto.pki;

import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Who a client certificate was issued to, recorded in the subject's OU. The Control API admits
 * only {@link #OPERATOR}; the Fleet API only {@link #SUPERNODE}.
 */
public enum ClientRole {
  SUPERNODE("supernodes"),
  OPERATOR("operators");

  private final String organizationalUnit;

  ClientRole(String organizationalUnit) {
    this.organizationalUnit = organizationalUnit;
  }

  public String organizationalUnit() {
    return organizationalUnit;
  }

  /** The role named by the certificate's subject OU, if any. */
  public static Optional<ClientRole> of(X509Certificate certificate) {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }
}
