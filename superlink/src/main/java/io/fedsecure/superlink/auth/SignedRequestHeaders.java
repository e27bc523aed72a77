package io.fedsecure.superlink.auth;

import io.fedsecure.crypto.auth.AuthHeaders;
import io.fedsecure.crypto.auth.SignedRequest;
import io.grpc.Metadata;

/** Reads the signature metadata a node attaches to every Fleet call. */
final class SignedRequestHeaders {

  static final Metadata.Key<byte[]> PUBLIC_KEY =
      Metadata.Key.of(AuthHeaders.PUBLIC_KEY, Metadata.BINARY_BYTE_MARSHALLER);
  static final Metadata.Key<String> TIMESTAMP =
      Metadata.Key.of(AuthHeaders.TIMESTAMP, Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<byte[]> NONCE = Metadata.Key.of(AuthHeaders.NONCE, Metadata.BINARY_BYTE_MARSHALLER);
  static final Metadata.Key<byte[]> SIGNATURE =
      Metadata.Key.of(AuthHeaders.SIGNATURE, Metadata.BINARY_BYTE_MARSHALLER);

  private SignedRequestHeaders() {}

  static SignedRequest read(Metadata headers) throws NodeAuthException {
    return new SignedRequest(
        require(headers, PUBLIC_KEY), require(headers, TIMESTAMP), require(headers, NONCE), require(headers, SIGNATURE));
  }

  private static <T> T require(Metadata headers, Metadata.Key<T> key) throws NodeAuthException {
    T value = headers.get(key);
    if (value == null) {
      throw new NodeAuthException("missing_header", "missing request header " + key.name());
    }
    return value;
  }
}
