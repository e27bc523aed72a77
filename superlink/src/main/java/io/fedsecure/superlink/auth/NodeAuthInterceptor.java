package io.fedsecure.superlink.auth;

import com.google.protobuf.MessageLite;
import io.fedsecure.crypto.auth.RequestDigest;
import io.fedsecure.crypto.auth.RequestVerifier;
import io.fedsecure.crypto.auth.SignatureRejectedException;
import io.fedsecure.crypto.auth.SignedRequest;
import io.fedsecure.crypto.keys.EcKeys;
import io.fedsecure.crypto.keys.KeyFormatException;
import io.fedsecure.crypto.pki.ClientRole;
import io.fedsecure.superlink.registry.JdbcNodeRegistry;
import io.fedsecure.superlink.registry.NodeIdentity;
import io.fedsecure.superlink.registry.NodeStatus;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.SocketAddress;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place Fleet calls are authenticated. At call start: a SuperNode TLS certificate, a
 * registered and still-registered public key. Then the request body: its signature (timestamp
 * window, nonce never seen, ECDSA over method + body digest) is verified before the service sees a
 * message (unary and server-streaming calls) or before it sees the end of the stream (PushReply),
 * and any node id the body names must be the caller's.
 */
public final class NodeAuthInterceptor implements ServerInterceptor {

  private static final Logger log = LoggerFactory.getLogger(NodeAuthInterceptor.class);

  private final JdbcNodeRegistry registry;
  private final RequestVerifier verifier;
  private final boolean requireClientCertificate;
  private final AuthFailureMetrics metrics;

  public NodeAuthInterceptor(
      JdbcNodeRegistry registry, RequestVerifier verifier, boolean requireClientCertificate, AuthFailureMetrics metrics) {
    this.registry = registry;
    this.verifier = verifier;
    this.requireClientCertificate = requireClientCertificate;
    this.metrics = metrics;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    SignedRequest signed;
    PublicKey key;
    AuthenticatedNode node;
    try {
      if (requireClientCertificate) {
        requireSupernodeCertificate(call);
      }
      signed = SignedRequestHeaders.read(headers);
      key = parseKey(signed.publicKeySpki());
      node = registeredNode(key);
    } catch (NodeAuthException e) {
      reject(call, e, null);
      return new ServerCall.Listener<>() {};
    }
    Context context = Context.current().withValue(AuthenticatedNode.CONTEXT_KEY, node);
    ServerCall.Listener<ReqT> delegate = Contexts.interceptCall(context, call, headers, next);
    boolean clientStreaming = !call.getMethodDescriptor().getType().clientSendsOneMessage();
    return new VerifyingListener<>(delegate, call, method, signed, key, node, clientStreaming);
  }

  private void requireSupernodeCertificate(ServerCall<?, ?> call) throws NodeAuthException {
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session == null) {
      throw new NodeAuthException("no_tls", "the Fleet API requires TLS");
    }
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      throw new NodeAuthException("no_client_certificate", "no verified client certificate");
    }
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      throw new NodeAuthException("no_client_certificate", "no verified client certificate");
    }
    Optional<ClientRole> role = ClientRole.of(leaf);
    if (role.isEmpty() || role.get() != ClientRole.SUPERNODE) {
      throw new NodeAuthException("wrong_certificate_role",
          "client certificate is not a SuperNode certificate (role: "
              + role.map(r -> r.name().toLowerCase(Locale.ROOT)).orElse("none") + ")");
    }
  }

  private static PublicKey parseKey(byte[] spki) throws NodeAuthException {
    try {
      return EcKeys.fromSpki(spki);
    } catch (KeyFormatException e) {
      throw new NodeAuthException("malformed_public_key", "malformed public key header: " + e.getMessage());
    }
  }

  private AuthenticatedNode registeredNode(PublicKey key) throws NodeAuthException {
    String fingerprint = EcKeys.fingerprint(key);
    NodeIdentity identity = registry.findByFingerprint(fingerprint)
        .orElseThrow(() -> new NodeAuthException("unregistered_key", "unregistered key " + fingerprint));
    if (identity.status() == NodeStatus.UNREGISTERED) {
      throw new NodeAuthException("node_unregistered",
          "node unregistered: node " + Long.toUnsignedString(identity.nodeId()) + " was unregistered by an operator");
    }
    return new AuthenticatedNode(identity.nodeId(), identity.name());
  }

  private void reject(ServerCall<?, ?> call, NodeAuthException e, AuthenticatedNode node) {
    metrics.failed(e.reason());
    SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    log.warn("Refused {} from {}{}: {}", call.getMethodDescriptor().getBareMethodName(), peer,
        node == null ? "" : " (node " + Long.toUnsignedString(node.nodeId()) + ")", e.getMessage());
    call.close(Status.UNAUTHENTICATED.withDescription(e.getMessage()), new Metadata());
  }

  private void verify(String method, SignedRequest signed, PublicKey key, byte[] bodyDigest)
      throws NodeAuthException {
    try {
      verifier.verify(key, method, signed, bodyDigest);
    } catch (SignatureRejectedException e) {
      String reason = e.reason().name().toLowerCase(Locale.ROOT);
      throw new NodeAuthException(reason, reason.replace('_', ' ') + ": " + e.getMessage());
    }
  }

  /**
   * Holds back what the service must not see before the signature checked out. After a rejection
   * nothing more is forwarded except the call's end.
   */
  private final class VerifyingListener<ReqT> extends SimpleForwardingServerCallListener<ReqT> {
    private final ServerCall<ReqT, ?> call;
    private final String method;
    private final SignedRequest signed;
    private final PublicKey key;
    private final AuthenticatedNode node;
    private final boolean clientStreaming;
    private final RequestDigest streamDigest;
    private boolean rejected;

    VerifyingListener(ServerCall.Listener<ReqT> delegate, ServerCall<ReqT, ?> call, String method,
        SignedRequest signed, PublicKey key, AuthenticatedNode node, boolean clientStreaming) {
      super(delegate);
      this.call = call;
      this.method = method;
      this.signed = signed;
      this.key = key;
      this.node = node;
      this.clientStreaming = clientStreaming;
      this.streamDigest = clientStreaming ? new RequestDigest() : null;
    }

    @Override
    public void onMessage(ReqT message) {
      if (rejected) {
        return;
      }
      byte[] body = ((MessageLite) message).toByteArray();
      try {
        if (clientStreaming) {
          streamDigest.update(body);
        } else {
          verify(method, signed, key, RequestDigest.of(body));
        }
        NodeIdClaims.requireCaller(message, node);
      } catch (NodeAuthException e) {
        rejected = true;
        reject(call, e, node);
        return;
      }
      super.onMessage(message);
    }

    @Override
    public void onHalfClose() {
      if (rejected) {
        return;
      }
      if (clientStreaming) {
        try {
          verify(method, signed, key, streamDigest.digest());
        } catch (NodeAuthException e) {
          rejected = true;
          reject(call, e, node);
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
  }
}
