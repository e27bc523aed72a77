package io.fedsecure.superlink.fleet;

import io.fedsecure.proto.fleet.ActivateNodeRequest;
import io.fedsecure.proto.fleet.ActivateNodeResponse;
import io.fedsecure.proto.fleet.DeactivateNodeRequest;
import io.fedsecure.proto.fleet.DeactivateNodeResponse;
import io.fedsecure.proto.fleet.FleetGrpc;
import io.fedsecure.proto.fleet.HeartbeatRequest;
import io.fedsecure.proto.fleet.HeartbeatResponse;
import io.fedsecure.proto.fleet.InstructionFrame;
import io.fedsecure.proto.fleet.PullInstructionsRequest;
import io.fedsecure.proto.fleet.PushReplyResponse;
import io.fedsecure.proto.fleet.ReplyFrame;
import io.fedsecure.protocol.UntrustedText;
import io.fedsecure.protocol.framing.ChunkSequence.FramingException;
import io.fedsecure.superlink.auth.AuthenticatedNode;
import io.fedsecure.superlink.liveness.NodePresence;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Fleet API. Runs behind {@link io.fedsecure.superlink.auth.NodeAuthInterceptor}: the caller is
 * {@link AuthenticatedNode#current()}, and node ids in request bodies have been checked against it.
 */
public class FleetService extends FleetGrpc.FleetImplBase {

  private static final Logger log = LoggerFactory.getLogger(FleetService.class);

  private final NodeStreams streams;
  private final NodePresence presence;
  private final double heartbeatIntervalSeconds;
  private final long maxReplyPayload;

  public FleetService(
      NodeStreams streams,
      NodePresence presence,
      double heartbeatIntervalSeconds,
      long maxReplyPayload) {
    this.streams = streams;
    this.presence = presence;
    this.heartbeatIntervalSeconds = heartbeatIntervalSeconds;
    this.maxReplyPayload = maxReplyPayload;
  }

  @Override
  public void activateNode(
      ActivateNodeRequest request, StreamObserver<ActivateNodeResponse> response) {
    AuthenticatedNode node = AuthenticatedNode.current();
    String claimed = request.getNodeName();
    if (!claimed.isEmpty() && !claimed.equals(node.name())) {
      response.onError(
          Status.FAILED_PRECONDITION
              .withDescription(
                  "node name '"
                      + UntrustedText.clean(claimed)
                      + "' does not match "
                      + (node.name() == null
                          ? "this key's registration, which has no name"
                          : "the name '" + node.name() + "' registered for this key"))
              .asRuntimeException());
      return;
    }
    presence.seen(node);
    response.onNext(
        ActivateNodeResponse.newBuilder()
            .setNodeId(node.nodeId())
            .setNodeName(node.name() == null ? "" : node.name())
            .setHeartbeatIntervalSeconds(heartbeatIntervalSeconds)
            .build());
    response.onCompleted();
  }

  @Override
  public void deactivateNode(
      DeactivateNodeRequest request, StreamObserver<DeactivateNodeResponse> response) {
    presence.leaving(AuthenticatedNode.current());
    response.onNext(DeactivateNodeResponse.getDefaultInstance());
    response.onCompleted();
  }

  @Override
  public void sendHeartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> response) {
    presence.seen(AuthenticatedNode.current());
    response.onNext(
        HeartbeatResponse.newBuilder()
            .setOk(true)
            .setHeartbeatIntervalSeconds(heartbeatIntervalSeconds)
            .build());
    response.onCompleted();
  }

  @Override
  public void pullInstructions(
      PullInstructionsRequest request, StreamObserver<InstructionFrame> response) {
    AuthenticatedNode node = AuthenticatedNode.current();
    presence.seen(node);
    streams.open(node, (ServerCallStreamObserver<InstructionFrame>) response);
  }

  /**
   * Reads a reply one message at a time (automatic requests are off): the next frame is asked for
   * only when the payload's consumer is ready for it, so many nodes uploading large updates at once
   * are paced by HTTP/2 flow control rather than piling up in the heap.
   */
  @Override
  public StreamObserver<ReplyFrame> pushReply(StreamObserver<PushReplyResponse> response) {
    AuthenticatedNode node = AuthenticatedNode.current();
    ServerCallStreamObserver<PushReplyResponse> call =
        (ServerCallStreamObserver<PushReplyResponse>) response;
    call.disableAutoRequest();
    ReplyAssembler assembler = new ReplyAssembler(maxReplyPayload);
    AtomicReference<ReplySink> sinkRef = new AtomicReference<>();
    StreamObserver<ReplyFrame> observer =
        new StreamObserver<>() {
          private boolean failed;

          @Override
          public void onNext(ReplyFrame frame) {
            if (failed) {
              return;
            }
            try {
              assembler.accept(frame);
            } catch (FramingException e) {
              fail(e);
              return;
            }
            if (frame.hasHeader()) {
              ReplySink sink = streams.openReply(node, frame.getHeader());
              sinkRef.set(sink);
              sink.start(() -> call.request(1));
            } else {
              sinkRef.get().chunk(frame.getChunk().getData());
              call.request(1);
            }
          }

          @Override
          public void onError(Throwable t) {
            failed = true; // the node cancelled; nothing counted
            abortSink();
          }

          @Override
          public void onCompleted() {
            if (failed) {
              return;
            }
            try {
              assembler.complete();
            } catch (FramingException e) {
              fail(e);
              return;
            }
            response.onNext(sinkRef.get().complete());
            response.onCompleted();
            // After the answer: the database write is bookkeeping, not something the node waits
            // for.
            presence.seen(node);
          }

          private void abortSink() {
            ReplySink s = sinkRef.get();
            if (s != null) {
              s.abort();
            }
          }

          private void fail(FramingException e) {
            failed = true;
            abortSink();
            log.warn(
                "Refused a reply from node {}: {}",
                Long.toUnsignedString(node.nodeId()),
                e.getMessage());
            response.onError(
                Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
          }
        };
    // A signature refused at half-close closes the call without onCompleted or onError reaching the
    // observer: the close handler is what releases whatever the sink holds then.
    call.setOnCloseHandler(
        () -> {
          ReplySink s = sinkRef.get();
          if (s != null) {
            s.abort();
          }
        });
    call.request(1);
    return observer;
  }
}
