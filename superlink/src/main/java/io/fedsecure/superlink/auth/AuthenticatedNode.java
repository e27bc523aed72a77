package io.fedsecure.superlink.auth;

import io.grpc.Context;

/**
 * The node a Fleet call was authenticated as: its key is registered, its TLS client certificate
 * verified and its request signature checked. Put in the gRPC {@link Context} by the auth
 * interceptor; services read it from there and never trust node ids in request bodies.
 */
public record AuthenticatedNode(long nodeId, String name) {
  public static final Context.Key<AuthenticatedNode> CONTEXT_KEY =
      Context.key("fedsecure-authenticated-node");

  /** The node of the current call; fails if the call did not pass the auth interceptor. */
  public static AuthenticatedNode current() {
    AuthenticatedNode node = CONTEXT_KEY.get();
    if (node == null) {
      throw new IllegalStateException("no authenticated node in this call's context");
    }
    return node;
  }
}
