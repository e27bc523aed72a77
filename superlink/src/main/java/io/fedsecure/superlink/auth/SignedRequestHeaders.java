package io.fedsecure.superlink.auth;

import io.fedsecure.crypto.auth.SignedRequest;
import io.fedsecure.protocol.FleetMetadata;
import io.grpc.Metadata;

/** Reads the signature metadata a node attaches to every Fleet call. */
final class SignedRequestHeaders {

  private SignedRequestHeaders() {}

  static SignedRequest read(Metadata headers) throws NodeAuthException {
    return new SignedRequest(
        require(headers, FleetMetadata.PUBLIC_KEY),
        require(headers, FleetMetadata.TIMESTAMP),
        require(headers, FleetMetadata.NONCE),
        require(headers, FleetMetadata.SIGNATURE));
  }

  private static <T> T require(Metadata headers, Metadata.Key<T> key) throws NodeAuthException {
    T value = headers.get(key);
    if (value == null) {
      throw new NodeAuthException("missing_header", "missing request header " + key.name());
    }
    return value;
  }
}
