package io.fedsecure.crypto.keys;

import io.fedsecure.crypto.internal.EcCurves;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/** Which key algorithms and curves identity keys may use, with messages that say what was found. */
final class SpkiChecks {

  private static final String ACCEPTED =
      "SuperNode keys must be EC P-384 (secp384r1) or P-256 (secp256r1)";
  private static final Map<String, String> ALGORITHM_NAMES =
      Map.of(
          "1.2.840.113549.1.1.1", "RSA",
          "1.2.840.10040.4.1", "DSA",
          "1.3.101.110", "X25519",
          "1.3.101.111", "X448",
          "1.3.101.112", "Ed25519",
          "1.3.101.113", "Ed448");

  private SpkiChecks() {}

  /**
   * @return the named curve's OID
   */
  static ASN1ObjectIdentifier requireSupportedEc(AlgorithmIdentifier algorithm)
      throws KeyFormatException {
    ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
    if (!X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
      String name = ALGORITHM_NAMES.getOrDefault(oid.getId(), "with OID " + oid.getId());
      throw new KeyFormatException("unsupported key algorithm " + name + ": " + ACCEPTED);
    }
    X962Parameters params;
    try {
      params = X962Parameters.getInstance(algorithm.getParameters());
    } catch (RuntimeException e) {
      throw new KeyFormatException("the EC key's curve parameters are corrupt");
    }
    if (params == null || !params.isNamedCurve()) {
      throw new KeyFormatException(
          "the EC key uses explicit curve parameters instead of a named curve; "
              + ACCEPTED
              + ", as named curves");
    }
    ASN1ObjectIdentifier curveOid = ASN1ObjectIdentifier.getInstance(params.getParameters());
    String name = ECNamedCurveTable.getName(curveOid);
    String shown = name != null ? name : "with OID " + curveOid.getId();
    if (name == null || EcCurves.byCurveName(name).isEmpty()) {
      throw new KeyFormatException("unsupported curve " + shown + ": " + ACCEPTED);
    }
    return curveOid;
  }

  static void requirePointOnCurve(ASN1ObjectIdentifier curveOid, byte[] encodedPoint)
      throws KeyFormatException {
    X9ECParameters curve = ECNamedCurveTable.getByOID(curveOid);
    try {
      // decodePoint validates the encoding and that the point lies on the curve.
      if (curve.getCurve().decodePoint(encodedPoint).isInfinity()) {
        throw new IllegalArgumentException("point at infinity");
      }
    } catch (RuntimeException e) {
      throw new KeyFormatException(
          "the EC public key is not a valid point on " + ECNamedCurveTable.getName(curveOid));
    }
  }
}
