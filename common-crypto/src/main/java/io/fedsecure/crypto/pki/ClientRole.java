package io.fedsecure.crypto.pki;

import java.security.cert.X509Certificate;
import java.util.Optional;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Who a client certificate was issued to, recorded in the subject's OU. The Control API admits only
 * {@link #OPERATOR}; the Fleet API only {@link #SUPERNODE}.
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

  /**
   * The role named by the certificate's subject OU, if any. A subject with several OUs names no
   * role: an ambiguous certificate must not be admitted to either API.
   */
  public static Optional<ClientRole> of(X509Certificate certificate) {
    X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    RDN[] ous = subject.getRDNs(BCStyle.OU);
    if (ous.length != 1 || ous[0].isMultiValued()) {
      return Optional.empty();
    }
    String ou = IETFUtils.valueToString(ous[0].getFirst().getValue());
    for (ClientRole role : values()) {
      if (role.organizationalUnit.equals(ou)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
