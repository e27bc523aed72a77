package io.fedsecure.crypto.internal;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Optional;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;

/** The two curves the project accepts for identity keys, and the signature algorithm for each. */
public enum EcCurves {
  P384("secp384r1", "ecdsa-sha2-nistp384", "SHA384withECDSA", 384),
  P256("secp256r1", "ecdsa-sha2-nistp256", "SHA256withECDSA", 256);

  private final String curveName;
  private final String sshKeyType;
  private final String signatureAlgorithm;
  private final ECParameterSpec params;
  private final ECDomainParameters domain;

  EcCurves(String curveName, String sshKeyType, String signatureAlgorithm, int orderBits) {
    this.curveName = curveName;
    this.sshKeyType = sshKeyType;
    this.signatureAlgorithm = signatureAlgorithm;
    this.params = jdkParams(curveName);
    X9ECParameters bc = CustomNamedCurves.getByName(curveName);
    // One instance per curve, shared: BouncyCastle keeps its precomputed multiples of the generator
    // on the point object, so every signature and verification after the first reuses them.
    this.domain =
        new ECDomainParameters(bc.getCurve(), bc.getG(), bc.getN(), bc.getH(), bc.getSeed());
  }

  private static ECParameterSpec jdkParams(String curveName) {
    try {
      AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
      ap.init(new ECGenParameterSpec(curveName));
      return ap.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK does not support " + curveName, e);
    }
  }

  public ECParameterSpec params() {
    return params;
  }

  /** BouncyCastle's parameters for this curve, with its specialised field arithmetic. */
  public ECDomainParameters domain() {
    return domain;
  }

  /**
   * A fresh instance of the hash this curve's signatures use (SHA-384 for P-384, SHA-256 for
   * P-256).
   */
  public Digest newDigest() {
    return this == P384 ? new SHA384Digest() : new SHA256Digest();
  }

  public String curveName() {
    return curveName;
  }

  public String sshKeyType() {
    return sshKeyType;
  }

  public String signatureAlgorithm() {
    return signatureAlgorithm;
  }

  public static Optional<EcCurves> byCurveName(String name) {
    for (EcCurves c : values()) {
      if (c.curveName.equalsIgnoreCase(name)
          || ("prime256v1".equalsIgnoreCase(name) && c == P256)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /**
   * The curve of an EC key. Compared on field, order and generator rather than order size alone:
   * secp256k1 has a 256-bit order too.
   */
  public static Optional<EcCurves> of(java.security.Key key) {
    if (!(key instanceof ECKey ec) || ec.getParams() == null) {
      return Optional.empty();
    }
    ECParameterSpec p = ec.getParams();
    for (EcCurves c : values()) {
      if (c.params.getOrder().equals(p.getOrder())
          && c.params.getCurve().getField().equals(p.getCurve().getField())
          && c.params.getGenerator().equals(p.getGenerator())) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  public static EcCurves require(PublicKey key) {
    return of(key)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unsupported key: expected an EC P-384 or P-256 key, got "
                        + key.getAlgorithm()));
  }
}
