package io.fedsecure.supernode.connection;

import io.fedsecure.crypto.auth.RequestDigest;
import io.fedsecure.proto.PayloadChunk;
import io.fedsecure.proto.fleet.ActivateNodeRequest;
import io.fedsecure.proto.fleet.ActivateNodeResponse;
import io.fedsecure.proto.fleet.DeactivateNodeRequest;
import io.fedsecure.proto.fleet.FleetGrpc;
import io.fedsecure.proto.fleet.HeartbeatRequest;
import io.fedsecure.proto.fleet.HeartbeatResponse;
import io.fedsecure.proto.fleet.InstructionFrame;
import io.fedsecure.proto.fleet.PullInstructionsRequest;
import io.fedsecure.proto.fleet.PushReplyResponse;
import io.fedsecure.proto.fleet.ReplyFrame;
import io.fedsecure.proto.fleet.ReplyHeader;
import io.fedsecure.protocol.framing.PayloadChunks;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/** The Fleet API as the node uses it; every call is signed by {@link SigningInterceptor}. */
public final class FleetClient {

  private final ManagedChannel channel;
  private final FleetGrpc.FleetBlockingStub blocking;
  private final FleetGrpc.FleetStub async;
  private final Duration callTimeout;
  private final Duration pushTimeout;
  private final int chunkSize;

  public FleetClient(
      ManagedChannel channel,
      SigningInterceptor signing,
      Duration callTimeout,
      Duration pushTimeout,
      int chunkSize) {
    this.channel = channel;
    Channel signed = ClientInterceptors.intercept(channel, signing);
    this.blocking = FleetGrpc.newBlockingStub(signed);
    this.async = FleetGrpc.newStub(signed);
    this.callTimeout = callTimeout;
    this.pushTimeout = pushTimeout;
    this.chunkSize = chunkSize;
  }

  /**
   * Lets the next call connect at once instead of after the channel's own, much slower reconnect
   * backoff: the session's backoff decides when to try.
   */
  public void reconnectNow() {
    channel.resetConnectBackoff();
  }

  public ActivateNodeResponse activate(String nodeName, Duration proposedHeartbeat) {
    return blocking
        .withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .activateNode(
            ActivateNodeRequest.newBuilder()
                .setNodeName(nodeName)
                .setHeartbeatIntervalSeconds(proposedHeartbeat.toMillis() / 1000.0)
                .build());
  }

  public HeartbeatResponse heartbeat(long nodeId) {
    return blocking
        .withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .sendHeartbeat(HeartbeatRequest.newBuilder().setNodeId(nodeId).build());
  }

  public void deactivate(long nodeId, Duration timeout) {
    blocking
        .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .deactivateNode(DeactivateNodeRequest.newBuilder().setNodeId(nodeId).build());
  }

  /** Opens the instruction stream; the returned handle cancels it. */
  public Runnable pullInstructions(long nodeId, StreamObserver<InstructionFrame> frames) {
    CompletableFuture<ClientCallStreamObserver<PullInstructionsRequest>> call =
        new CompletableFuture<>();
    async.pullInstructions(
        PullInstructionsRequest.newBuilder().setNodeId(nodeId).build(),
        new ClientResponseObserver<PullInstructionsRequest, InstructionFrame>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<PullInstructionsRequest> requestStream) {
            call.complete(requestStream);
          }

          @Override
          public void onNext(InstructionFrame value) {
            frames.onNext(value);
          }

          @Override
          public void onError(Throwable t) {
            frames.onError(t);
          }

          @Override
          public void onCompleted() {
            frames.onCompleted();
          }
        });
    return () -> call.thenAccept(c -> c.cancel("node closes the instruction stream", null));
  }

  /**
   * Sends a reply as a header frame and payload chunks, signed over all frames, and waits for the
   * SuperLink's answer. Throws {@link StatusRuntimeException} when the call fails.
   */
  public PushReplyResponse pushReply(ReplyHeader header, byte[] payload) {
    List<ReplyFrame> frames = frames(header, payload, chunkSize);
    RequestDigest digest = new RequestDigest();
    for (ReplyFrame frame : frames) {
      digest.update(frame.toByteArray());
    }
    CompletableFuture<PushReplyResponse> response = new CompletableFuture<>();
    Iterator<ReplyFrame> pending = frames.iterator();
    async
        .withOption(SigningInterceptor.BODY_DIGEST, digest.digest())
        .withDeadlineAfter(pushTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .pushReply(
            new ClientResponseObserver<ReplyFrame, PushReplyResponse>() {
              @Override
              public void beforeStart(ClientCallStreamObserver<ReplyFrame> requestStream) {
                // Respect flow control: a large model update is sent as the transport drains.
                AtomicBoolean halfClosed = new AtomicBoolean();
                requestStream.setOnReadyHandler(
                    () -> {
                      while (requestStream.isReady() && pending.hasNext()) {
                        requestStream.onNext(pending.next());
                      }
                      if (!pending.hasNext() && halfClosed.compareAndSet(false, true)) {
                        requestStream.onCompleted();
                      }
                    });
              }

              @Override
              public void onNext(PushReplyResponse value) {
                response.complete(value);
              }

              @Override
              public void onError(Throwable t) {
                response.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {
                response.completeExceptionally(
                    Status.INTERNAL
                        .withDescription("SuperLink closed PushReply without an answer")
                        .asRuntimeException());
              }
            });
    try {
      return response.get(pushTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof StatusRuntimeException s
          ? s
          : Status.fromThrowable(e.getCause()).asRuntimeException();
    } catch (TimeoutException e) {
      throw Status.DEADLINE_EXCEEDED
          .withDescription("PushReply did not finish in " + pushTimeout)
          .asRuntimeException();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED
          .withDescription("interrupted while pushing a reply")
          .asRuntimeException();
    }
  }

  /** A ReplyHeader frame, then the payload framed by {@link PayloadChunks#split}. */
  public static List<ReplyFrame> frames(ReplyHeader header, byte[] payload, int chunkSize) {
    List<ReplyFrame> frames = new ArrayList<>();
    frames.add(ReplyFrame.newBuilder().setHeader(header).build());
    for (PayloadChunk chunk : PayloadChunks.split(payload, chunkSize)) {
      frames.add(ReplyFrame.newBuilder().setChunk(chunk).build());
    }
    return frames;
  }
}
