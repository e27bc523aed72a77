package io.fedsecure.superlink.auth;

import io.fedsecure.crypto.auth.RequestVerifier;
import io.fedsecure.crypto.auth.SignatureRejectedException;
import io.fedsecure.crypto.auth.SignedRequest;
import io.fedsecure.crypto.keys.EcKeys;
import io.fedsecure.crypto.keys.KeyFormatException;
import io.fedsecure.crypto.pki.ClientRole;
import io.fedsecure.protocol.FleetMetadata;
import io.fedsecure.superlink.config.SuperLinkProperties;
import io.fedsecure.superlink.registry.NodeIdentity;
import io.fedsecure.superlink.registry.NodeStatus;
import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerTransportFilter;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The one place Fleet calls are authenticated. At call start: a SuperNode TLS certificate and the
 * signature headers. Then the request body, as the bytes received: its signature (timestamp window,
 * ECDSA over method + body digest) is verified before anything about the key's registration is told
 * to the caller, then the key must be registered, within its rate limit and its nonce new, and any
 * node id the body names must be the caller's. The service sees no message before that (unary and
 * server-streaming calls) or no end of stream (PushReply).
 *
 * <p>Refusals say whether they are permanent (UNAUTHENTICATED) or transient (rate limit, replay
 * cache pressure: RESOURCE_EXHAUSTED; clock skew), in the {@link FleetMetadata#REFUSAL} trailer
 * with the SuperLink's clock in {@link FleetMetadata#SERVER_TIME}.
 */
public final class NodeAuthInterceptor implements ServerInterceptor {

  /** Request bodies as received: what the signature covers. */
  static final MethodDescriptor.Marshaller<byte[]> RECEIVED_BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  private final RegisteredKeyCache keys;
  private final RequestVerifier verifier;
  private final boolean requireClientCertificate;
  private final AuthFailureMetrics metrics;
  private final CallLimits limits;

  public NodeAuthInterceptor(
      RegisteredKeyCache keys,
      RequestVerifier verifier,
      boolean requireClientCertificate,
      AuthFailureMetrics metrics,
      CallLimits limits) {
    this.keys = keys;
    this.verifier = verifier;
    this.requireClientCertificate = requireClientCertificate;
    this.metrics = metrics;
    this.limits = limits;
  }

  /**
   * Counts connections per client certificate; the Fleet server installs it as its transport
   * filter.
   */
  public ServerTransportFilter connectionCounter() {
    return limits.connections();
  }

  /** {@code service} behind this authentication, its requests checked as the bytes received. */
  public ServerServiceDefinition protect(BindableService service) {
    return ServerInterceptors.intercept(
        ServerInterceptors.useMarshalledMessages(service.bindService(), RECEIVED_BYTES), this);
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    Caller caller;
    try {
      if (requireClientCertificate) {
        requireSupernodeCertificate(call);
      }
      if (Boolean.TRUE.equals(call.getAttributes().get(CertificateConnections.OVER_CAP))) {
        throw NodeAuthException.transientRefusal(
            "too_many_connections",
            "too many connections with this client "
                + "certificate (at most "
                + limits.connections().maxPerCertificate()
                + "); close some and retry",
            Status.Code.RESOURCE_EXHAUSTED);
      }
      SignedRequest signed = SignedRequestHeaders.read(headers);
      caller =
          new Caller(
              call.getMethodDescriptor().getFullMethodName(),
              signed,
              parseKey(signed.publicKeySpki()));
    } catch (NodeAuthException e) {
      reject(call, peerHost(call), e);
      return new ServerCall.Listener<>() {};
    }
    AuthenticatedNode node;
    try {
      node = registeredNode(caller.fingerprint());
    } catch (NodeAuthException notRegistered) {
      // Told only once the signature verified: until then the caller learns nothing about
      // registrations.
      return new RefusingListener<>(this, call, caller, notRegistered);
    }
    Context context = Context.current().withValue(AuthenticatedNode.CONTEXT_KEY, node);
    ServerCall.Listener<ReqT> delegate = Contexts.interceptCall(context, call, headers, next);
    return new VerifyingListener<>(this, delegate, call, caller, node);
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
      throw new NodeAuthException(
          "wrong_certificate_role",
          "client certificate is not a SuperNode certificate (role: "
              + role.map(r -> r.name().toLowerCase(Locale.ROOT)).orElse("none")
              + ")");
    }
  }

  private static PublicKey parseKey(byte[] spki) throws NodeAuthException {
    try {
      return EcKeys.fromSpki(spki);
    } catch (KeyFormatException e) {
      throw new NodeAuthException(
          "malformed_public_key", "malformed public key header: " + e.getMessage());
    }
  }

  private AuthenticatedNode registeredNode(String fingerprint) throws NodeAuthException {
    NodeIdentity identity =
        keys.find(fingerprint)
            .orElseThrow(
                () -> new NodeAuthException("unregistered_key", "unregistered key " + fingerprint));
    if (identity.status() == NodeStatus.UNREGISTERED) {
      throw new NodeAuthException(
          "node_unregistered",
          "node unregistered: node "
              + Long.toUnsignedString(identity.nodeId())
              + " was unregistered by an operator");
    }
    return new AuthenticatedNode(identity.nodeId(), identity.name());
  }

  /**
   * Signature and timestamp window, then the key's rate limit, then its nonce: calls over the rate
   * take no room in the replay cache.
   */
  void admit(Caller caller, byte[] bodyDigest) throws NodeAuthException {
    try {
      Instant timestamp =
          verifier.checkSignature(caller.key(), caller.method(), caller.signed(), bodyDigest);
      limits.requireWithinRate(caller.fingerprint());
      verifier.recordNonce(caller.key(), caller.signed(), timestamp);
    } catch (SignatureRejectedException e) {
      throw limits.refusal(e);
    }
  }

  /**
   * Signature and timestamp window only: for a call refused anyway, which must not take
   * replay-cache room.
   */
  void checkSignature(Caller caller, byte[] bodyDigest) throws NodeAuthException {
    try {
      verifier.checkSignature(caller.key(), caller.method(), caller.signed(), bodyDigest);
    } catch (SignatureRejectedException e) {
      throw limits.refusal(e);
    }
  }

  void reject(ServerCall<?, ?> call, String who, NodeAuthException e) {
    metrics.failed(e.reason());
    limits
        .refusals()
        .refused(who, call.getMethodDescriptor().getBareMethodName() + ": " + e.getMessage());
    Metadata trailers = new Metadata();
    trailers.put(
        FleetMetadata.REFUSAL, e.isTransient() ? FleetMetadata.TRANSIENT : FleetMetadata.PERMANENT);
    trailers.put(FleetMetadata.REFUSAL_REASON, e.reason());
    trailers.put(FleetMetadata.SERVER_TIME, limits.clock().instant().toString());
    call.close(e.status(), trailers);
  }

  private static String peerHost(ServerCall<?, ?> call) {
    SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    return peer instanceof InetSocketAddress inet ? inet.getHostString() : String.valueOf(peer);
  }

  /** Who signed a call, as its headers say, and what they signed for. */
  record Caller(String method, SignedRequest signed, PublicKey key, String fingerprint) {
    Caller(String method, SignedRequest signed, PublicKey key) {
      this(method, signed, key, EcKeys.fingerprint(key));
    }

    String describe(AuthenticatedNode node) {
      return node == null
          ? "key " + fingerprint
          : "node " + Long.toUnsignedString(node.nodeId()) + " (key " + fingerprint + ")";
    }
  }

  /**
   * Clock, per-key rate limit, connections per certificate and refusal logging shared by all calls.
   */
  public record CallLimits(
      Clock clock, KeyRateLimiter rates, CertificateConnections connections, RefusalLog refusals) {

    public static CallLimits of(
        Clock clock, SuperLinkProperties.NodeAuth auth, int maxConnectionsPerCertificate) {
      return new CallLimits(
          clock,
          new KeyRateLimiter(clock, auth.requestsPerSecondPerKey(), auth.requestBurstPerKey()),
          new CertificateConnections(maxConnectionsPerCertificate),
          new RefusalLog(clock, auth.refusalLogInterval()));
    }

    void requireWithinRate(String fingerprint) throws NodeAuthException {
      if (!rates.tryAcquire(fingerprint)) {
        throw NodeAuthException.transientRefusal(
            "rate_limited",
            "rate limited: this key sends more than "
                + new BigDecimal(Double.toString(rates.perSecond()))
                    .stripTrailingZeros()
                    .toPlainString()
                + " requests/s; back off and retry",
            Status.Code.RESOURCE_EXHAUSTED);
      }
    }

    NodeAuthException refusal(SignatureRejectedException e) {
      String reason = e.reason().name().toLowerCase(Locale.ROOT);
      String description = reason.replace('_', ' ') + ": " + e.getMessage();
      return switch (e.reason()) {
        case MALFORMED, BAD_SIGNATURE -> new NodeAuthException(reason, description);
        case STALE_TIMESTAMP, FUTURE_TIMESTAMP, REPLAYED_NONCE ->
            NodeAuthException.transientRefusal(reason, description, Status.Code.UNAUTHENTICATED);
        case KEY_NONCE_QUOTA_EXCEEDED, REPLAY_CACHE_FULL ->
            NodeAuthException.transientRefusal(reason, description, Status.Code.RESOURCE_EXHAUSTED);
      };
    }
  }
}
