package io.fedsecure.superlink.support;

import com.google.protobuf.MessageLite;
import io.fedsecure.crypto.auth.RequestDigest;
import io.fedsecure.crypto.auth.RequestSigner;
import io.fedsecure.crypto.auth.SignedRequest;
import io.fedsecure.protocol.FleetMetadata;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A SuperNode's request signing, test side. Headers go out before the body, but the signature
 * covers the body, so the call is held back until the client half-closes: then every message is
 * known, signed over, and the call started and replayed. {@code tamper} lets tests send what an
 * attacker would.
 */
public final class SigningInterceptor implements ClientInterceptor {

  private final RequestSigner signer;
  private final UnaryOperator<SignedRequest> tamper;
  private final AtomicReference<SignedRequest> lastSent = new AtomicReference<>();

  public SigningInterceptor(RequestSigner signer) {
    this(signer, UnaryOperator.identity());
  }

  public SigningInterceptor(RequestSigner signer, UnaryOperator<SignedRequest> tamper) {
    this.signer = signer;
    this.tamper = tamper;
  }

  /** The signature headers of the last call, for replaying them. */
  public SignedRequest lastSent() {
    return lastSent.get();
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
    return new HeldBackCall<>(next.newCall(method, options), method.getFullMethodName());
  }

  private final class HeldBackCall<ReqT, RespT> extends ClientCall<ReqT, RespT> {
    private final ClientCall<ReqT, RespT> delegate;
    private final String method;
    private final List<ReqT> messages = new ArrayList<>();
    private Listener<RespT> listener;
    private Metadata headers;
    private int requested;
    private boolean started;

    HeldBackCall(ClientCall<ReqT, RespT> delegate, String method) {
      this.delegate = delegate;
      this.method = method;
    }

    @Override
    public synchronized void start(Listener<RespT> listener, Metadata headers) {
      this.listener = listener;
      this.headers = headers;
    }

    @Override
    public synchronized void request(int n) {
      if (started) {
        delegate.request(n);
      } else {
        requested += n;
      }
    }

    @Override
    public synchronized void sendMessage(ReqT message) {
      messages.add(message);
    }

    @Override
    public synchronized void halfClose() {
      RequestDigest digest = new RequestDigest();
      messages.forEach(m -> digest.update(((MessageLite) m).toByteArray()));
      SignedRequest signed = tamper.apply(signer.sign(method, digest.digest()));
      lastSent.set(signed);
      headers.put(FleetMetadata.PUBLIC_KEY, signed.publicKeySpki());
      headers.put(FleetMetadata.TIMESTAMP, signed.timestamp());
      headers.put(FleetMetadata.NONCE, signed.nonce());
      headers.put(FleetMetadata.SIGNATURE, signed.signature());
      startDelegate();
      messages.forEach(delegate::sendMessage);
      delegate.halfClose();
    }

    @Override
    public synchronized void cancel(String message, Throwable cause) {
      if (!started) {
        startDelegate();
      }
      delegate.cancel(message, cause);
    }

    @Override
    public synchronized boolean isReady() {
      return !started || delegate.isReady();
    }

    private void startDelegate() {
      started = true;
      delegate.start(listener, headers);
      if (requested > 0) {
        delegate.request(requested);
      }
    }
  }
}
