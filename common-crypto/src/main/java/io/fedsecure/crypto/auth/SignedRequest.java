package io.fedsecure.crypto.auth;

/**
 * What a signer attaches to a request.
 *
 * @param publicKeySpki the signer's public key, SubjectPublicKeyInfo DER
 * @param timestamp ISO-8601 UTC instant of signing
 * @param nonce 16 fresh random bytes
 * @param signature ECDSA, DER-encoded, over {@link RequestSigner#canonicalBytes}
 */
public record SignedRequest(
    byte[] publicKeySpki, String timestamp, byte[] nonce, byte[] signature) {}
