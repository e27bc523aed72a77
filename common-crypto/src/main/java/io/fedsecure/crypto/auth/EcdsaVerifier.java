package io.fedsecure.crypto.auth;

import io.fedsecure.crypto.internal.BouncyCastle;
import io.fedsecure.crypto.internal.EcCurves;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;

/**
 * The one place where ECDSA signatures are checked (P-384 with SHA-384, P-256 with SHA-256). Only
 * strict DER is accepted: the signature must re-encode to exactly the same bytes, and r and s must
 * lie in [1, n-1]. Otherwise one signature has many encodings, and anything keyed on signature
 * bytes (logs, caches) can be fooled by malleated copies.
 *
 * <p>BouncyCastle, not SunEC, does the arithmetic: JDK 17's SunEC refuses valid signatures whose
 * k*G has an x-coordinate of at least n (Wycheproof secp384r1 tcId 382 and 479, secp256r1 tcId 350
 * and 499), so a legitimate node would fail authentication about once in 2^190 requests, and the
 * vectors would not pass.
 */
final class EcdsaVerifier {

  private EcdsaVerifier() {}

  static boolean verify(PublicKey key, byte[] message, byte[] derSignature) {
    Optional<EcCurves> curve = EcCurves.of(key);
    if (curve.isEmpty() || derSignature == null || message == null) {
      return false;
    }
    BigInteger n = ((ECPublicKey) key).getParams().getOrder();
    if (!strictDer(derSignature, n)) {
      return false;
    }
    try {
      Signature s = Signature.getInstance(curve.get().signatureAlgorithm(), BouncyCastle.PROVIDER);
      s.initVerify(key);
      s.update(message);
      return s.verify(derSignature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static boolean strictDer(byte[] der, BigInteger n) {
    try {
      ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
      if (seq.size() != 2) {
        return false;
      }
      BigInteger r = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
      BigInteger s = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
      if (r.signum() <= 0 || s.signum() <= 0 || r.compareTo(n) >= 0 || s.compareTo(n) >= 0) {
        return false;
      }
      byte[] canonical = new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded();
      return Arrays.equals(canonical, der);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
