package io.fedsecure.superlink.auth;

import io.grpc.Status;

/**
 * Why a Fleet call was refused, and whether retrying later can help.
 *
 * @see NodeAuthInterceptor
 */
final class NodeAuthException extends Exception {

  private final String reason;
  private final boolean transientRefusal;
  private final Status.Code code;

  /**
   * A permanent refusal ({@code UNAUTHENTICATED}): the node cannot fix it by retrying.
   *
   * @param reason short, stable tag for metrics and logs, e.g. "bad_signature"
   * @param description what the caller is told; never contains key material
   */
  NodeAuthException(String reason, String description) {
    this(reason, description, false, Status.Code.UNAUTHENTICATED);
  }

  private NodeAuthException(
      String reason, String description, boolean transientRefusal, Status.Code code) {
    super(description, null, false, false);
    this.reason = reason;
    this.transientRefusal = transientRefusal;
    this.code = code;
  }

  /**
   * A refusal that goes away by itself (rate limit, replay-cache pressure, clock skew): back off
   * and retry.
   */
  static NodeAuthException transientRefusal(String reason, String description, Status.Code code) {
    return new NodeAuthException(reason, description, true, code);
  }

  String reason() {
    return reason;
  }

  boolean isTransient() {
    return transientRefusal;
  }

  Status status() {
    return Status.fromCode(code).withDescription(getMessage());
  }
}
