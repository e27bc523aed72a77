package io.fedsecure.superlink.fleet;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.function.Consumer;

/**
 * A node's instruction stream as the broker sees it: the gRPC observer, made safe to end from
 * outside (operator unregisters the node, SuperLink shuts down) while the broker may be writing.
 *
 * <p>For the broker the rules are simple: the cancel handler runs whenever the stream ends without
 * the broker ending it (the node went away, or it was revoked), {@link #isCancelled()} turns true
 * then, and writes after that are dropped rather than throwing.
 */
final class RevocableStream<T> extends ServerCallStreamObserver<T> {

  private final ServerCallStreamObserver<T> delegate;
  private final Consumer<RevocableStream<T>> onEnd;
  private Runnable cancelHandler;
  private boolean ended;
  private boolean revoked;

  /** @param onEnd told when the stream ends, however it ends */
  RevocableStream(ServerCallStreamObserver<T> delegate, Consumer<RevocableStream<T>> onEnd) {
    this.delegate = delegate;
    this.onEnd = onEnd;
    // Must be set during the service method call; the broker's handler is chained in later.
    delegate.setOnCancelHandler(this::cancelledByPeer);
  }

  /** Ends the stream with {@code status} and tells the broker through its cancel handler. */
  void revoke(Status status) {
    Runnable handler;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      revoked = true;
      handler = cancelHandler;
      delegate.onError(status.asRuntimeException());
    }
    onEnd.accept(this);
    if (handler != null) {
      handler.run();
    }
  }

  private void cancelledByPeer() {
    Runnable handler;
    synchronized (this) {
      if (revoked) {
        return; // the broker has been told already
      }
      ended = true;
      handler = cancelHandler;
    }
    onEnd.accept(this);
    if (handler != null) {
      handler.run();
    }
  }

  @Override
  public synchronized void onNext(T value) {
    if (!ended) {
      delegate.onNext(value);
    }
  }

  @Override
  public void onError(Throwable t) {
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      delegate.onError(t);
    }
    onEnd.accept(this);
  }

  @Override
  public void onCompleted() {
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      delegate.onCompleted();
    }
    onEnd.accept(this);
  }

  @Override
  public synchronized boolean isCancelled() {
    return revoked || delegate.isCancelled();
  }

  @Override
  public synchronized void setOnCancelHandler(Runnable handler) {
    this.cancelHandler = handler;
  }

  @Override
  public synchronized boolean isReady() {
    return !ended && delegate.isReady();
  }

  @Override
  public void setOnReadyHandler(Runnable handler) {
    delegate.setOnReadyHandler(handler);
  }

  @Override
  public void setOnCloseHandler(Runnable handler) {
    delegate.setOnCloseHandler(handler);
  }

  @Override
  public void setCompression(String compression) {
    delegate.setCompression(compression);
  }

  @Override
  public void setMessageCompression(boolean enable) {
    delegate.setMessageCompression(enable);
  }

  @Override
  public void setOnReadyThreshold(int numBytes) {
    delegate.setOnReadyThreshold(numBytes);
  }

  @Override
  public void disableAutoInboundFlowControl() {
    delegate.disableAutoInboundFlowControl();
  }

  @Override
  public void disableAutoRequest() {
    delegate.disableAutoRequest();
  }

  @Override
  public void request(int count) {
    delegate.request(count);
  }
}
