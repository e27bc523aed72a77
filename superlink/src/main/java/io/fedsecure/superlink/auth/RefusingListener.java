package io.fedsecure.superlink.auth;

import io.fedsecure.crypto.auth.RequestDigest;
import io.grpc.ServerCall;

/**
 * A call under a key with no live registration. It is refused at its end, and only a caller whose
 * signature verified is told why; anyone else hears about the signature, so that refusals reveal
 * nothing about which keys are or were registered. The service never sees the call.
 */
final class RefusingListener<ReqT> extends ServerCall.Listener<ReqT> {
  private final NodeAuthInterceptor auth;
  private final ServerCall<ReqT, ?> call;
  private final NodeAuthInterceptor.Caller caller;
  private final NodeAuthException notRegistered;
  private final RequestDigest digest = new RequestDigest();

  RefusingListener(
      NodeAuthInterceptor auth,
      ServerCall<ReqT, ?> call,
      NodeAuthInterceptor.Caller caller,
      NodeAuthException notRegistered) {
    this.auth = auth;
    this.call = call;
    this.caller = caller;
    this.notRegistered = notRegistered;
    call.request(1);
  }

  @Override
  public void onMessage(ReqT message) {
    digest.update((byte[]) message);
    call.request(1);
  }

  @Override
  public void onHalfClose() {
    NodeAuthException refusal = notRegistered;
    try {
      auth.checkSignature(caller, digest.digest());
    } catch (NodeAuthException signatureProblem) {
      refusal = signatureProblem;
    }
    auth.reject(call, caller.describe(null), refusal);
  }
}
