package io.fedsecure.superlink.auth;

import io.fedsecure.crypto.auth.RequestDigest;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.ServerCall;

/**
 * A registered key's call: holds back what the service must not see before the signature checked
 * out. Unary and server-streaming calls are checked on their one message; a client stream at its
 * end, and a frame naming another node is withheld and, once the signature verified, refused. After
 * a refusal nothing more is forwarded except the call's end.
 */
final class VerifyingListener<ReqT> extends SimpleForwardingServerCallListener<ReqT> {
  private final NodeAuthInterceptor auth;
  private final ServerCall<ReqT, ?> call;
  private final NodeAuthInterceptor.Caller caller;
  private final AuthenticatedNode node;
  private final RequestDigest streamDigest;
  private NodeAuthException withheld;
  private boolean rejected;

  VerifyingListener(
      NodeAuthInterceptor auth,
      ServerCall.Listener<ReqT> delegate,
      ServerCall<ReqT, ?> call,
      NodeAuthInterceptor.Caller caller,
      AuthenticatedNode node) {
    super(delegate);
    this.auth = auth;
    this.call = call;
    this.caller = caller;
    this.node = node;
    boolean clientStreaming = !call.getMethodDescriptor().getType().clientSendsOneMessage();
    this.streamDigest = clientStreaming ? new RequestDigest() : null;
  }

  @Override
  public void onMessage(ReqT message) {
    if (rejected) {
      return;
    }
    byte[] body = (byte[]) message;
    if (streamDigest != null) {
      streamDigest.update(body);
      if (withheld == null) {
        try {
          NodeIdClaims.requireCaller(caller.method(), body, node);
        } catch (NodeAuthException e) {
          withheld = e;
        }
      }
      if (withheld != null) {
        call.request(1);
        return;
      }
    } else {
      try {
        auth.admit(caller, RequestDigest.of(body));
        NodeIdClaims.requireCaller(caller.method(), body, node);
      } catch (NodeAuthException e) {
        reject(e);
        return;
      }
    }
    super.onMessage(message);
  }

  @Override
  public void onHalfClose() {
    if (rejected) {
      return;
    }
    if (streamDigest != null) {
      try {
        auth.admit(caller, streamDigest.digest());
        if (withheld != null) {
          throw withheld;
        }
      } catch (NodeAuthException e) {
        reject(e);
        return;
      }
    }
    super.onHalfClose();
  }

  @Override
  public void onReady() {
    if (!rejected) {
      super.onReady();
    }
  }

  private void reject(NodeAuthException e) {
    rejected = true;
    auth.reject(call, caller.describe(node), e);
  }
}
