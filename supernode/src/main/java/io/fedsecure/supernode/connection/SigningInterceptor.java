package io.fedsecure.supernode.connection;

import com.google.protobuf.MessageLite;
import io.fedsecure.crypto.auth.RequestDigest;
import io.fedsecure.crypto.auth.RequestSigner;
import io.fedsecure.crypto.auth.SignedRequest;
import io.fedsecure.protocol.FleetMetadata;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * Signs every Fleet call with the node's identity key (headers per {@link FleetMetadata}). The
 * signature covers the request body, so a call whose single request message is known only at {@code
 * sendMessage} (unary, server-streaming) is started late, once that message is there. A
 * client-streaming call cannot be delayed until its last message, so its caller computes the digest
 * over all frames beforehand and passes it in {@link #BODY_DIGEST}.
 */
public final class SigningInterceptor implements ClientInterceptor {

  /** {@link RequestDigest} over all request messages of a client-streaming call, in order. */
  public static final CallOptions.Key<byte[]> BODY_DIGEST =
      CallOptions.Key.create("fedsecure-body-digest");

  private final RequestSigner signer;

  public SigningInterceptor(RequestSigner signer) {
    this.signer = signer;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    ClientCall<ReqT, RespT> call = next.newCall(method, callOptions);
    String fullMethod = method.getFullMethodName();
    byte[] precomputed = callOptions.getOption(BODY_DIGEST);
    if (precomputed != null) {
      return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
        @Override
        public void start(Listener<RespT> listener, Metadata headers) {
          addSignature(headers, fullMethod, precomputed);
          super.start(listener, headers);
        }
      };
    }
    if (method.getType().clientSendsOneMessage()) {
      return new SignOnFirstMessage<>(call, fullMethod);
    }
    // Refuse rather than send an unsigned stream the SuperLink would reject with a vaguer error.
    throw Status.INTERNAL
        .withDescription(
            fullMethod
                + " streams requests: pass SigningInterceptor.BODY_DIGEST in the call options")
        .asRuntimeException();
  }

  private void addSignature(Metadata headers, String method, byte[] digest) {
    SignedRequest signed = signer.sign(method, digest);
    headers.put(FleetMetadata.PUBLIC_KEY, signed.publicKeySpki());
    headers.put(FleetMetadata.TIMESTAMP, signed.timestamp());
    headers.put(FleetMetadata.NONCE, signed.nonce());
    headers.put(FleetMetadata.SIGNATURE, signed.signature());
  }

  /** Holds back start() and everything after it until the one request message arrives. */
  private final class SignOnFirstMessage<ReqT, RespT>
      extends ForwardingClientCall.SimpleForwardingClientCall<ReqT, RespT> {
    private final String method;
    private Listener<RespT> listener;
    private Metadata headers;
    private boolean started;
    private final List<Runnable> pending = new ArrayList<>();

    SignOnFirstMessage(ClientCall<ReqT, RespT> delegate, String method) {
      super(delegate);
      this.method = method;
    }

    @Override
    public void start(Listener<RespT> responseListener, Metadata headers) {
      this.listener = responseListener;
      this.headers = headers;
    }

    @Override
    public void request(int numMessages) {
      whenStarted(() -> super.request(numMessages));
    }

    @Override
    public void sendMessage(ReqT message) {
      if (!started) {
        byte[] body = message instanceof MessageLite m ? m.toByteArray() : null;
        if (body == null) {
          throw new IllegalStateException(
              method + ": cannot sign a request that is not a protobuf message");
        }
        addSignature(headers, method, RequestDigest.of(body));
        startDelegate();
      }
      super.sendMessage(message);
    }

    @Override
    public void halfClose() {
      whenStarted(super::halfClose);
    }

    @Override
    public void cancel(String message, Throwable cause) {
      if (!started && listener != null) {
        // The delegate must be started to report the cancellation to the listener.
        startDelegate();
      }
      super.cancel(message, cause);
    }

    @Override
    public boolean isReady() {
      return started && super.isReady();
    }

    private void startDelegate() {
      started = true;
      super.start(listener, headers);
      pending.forEach(Runnable::run);
      pending.clear();
    }

    private void whenStarted(Runnable action) {
      if (started) {
        action.run();
      } else {
        pending.add(action);
      }
    }
  }
}
