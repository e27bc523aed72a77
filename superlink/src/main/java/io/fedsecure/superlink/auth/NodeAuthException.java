package io.fedsecure.superlink.auth;

/**
 * Why a Fleet call was refused.
 *
 * @see NodeAuthInterceptor
 */
final class NodeAuthException extends Exception {

  private final String reason;

  /**
   * @param reason short, stable tag for metrics and logs, e.g. "bad_signature"
   * @param description what the caller is told; never contains key material
   */
  NodeAuthException(String reason, String description) {
    super(description, null, false, false);
    this.reason = reason;
  }

  String reason() {
    return reason;
  }
}
