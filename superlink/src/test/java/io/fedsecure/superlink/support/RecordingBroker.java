package io.fedsecure.superlink.support;

import io.fedsecure.proto.fleet.InstructionFrame;
import io.fedsecure.proto.fleet.PushReplyResponse;
import io.fedsecure.proto.fleet.ReplyHeader;
import io.fedsecure.superlink.auth.AuthenticatedNode;
import io.fedsecure.superlink.fleet.InstructionBroker;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Stands in for the run engine: keeps streams and replies so tests can look at them. */
public final class RecordingBroker implements InstructionBroker {

  public record OpenStream(AuthenticatedNode node, ServerCallStreamObserver<InstructionFrame> stream) {}

  public record Reply(AuthenticatedNode node, ReplyHeader header, byte[] payload) {}

  private final Map<Long, OpenStream> streams = new ConcurrentHashMap<>();
  private final Map<Long, Boolean> cancelled = new ConcurrentHashMap<>();
  private final List<Reply> replies = new CopyOnWriteArrayList<>();

  @Override
  public void openStream(AuthenticatedNode node, ServerCallStreamObserver<InstructionFrame> stream) {
    stream.setOnCancelHandler(() -> cancelled.put(node.nodeId(), true));
    streams.put(node.nodeId(), new OpenStream(node, stream));
  }

  @Override
  public PushReplyResponse acceptReply(AuthenticatedNode node, ReplyHeader header, byte[] payload) {
    replies.add(new Reply(node, header, payload));
    return PushReplyResponse.newBuilder().setAccepted(true).build();
  }

  public OpenStream stream(long nodeId) {
    return streams.get(nodeId);
  }

  public boolean cancelHandlerRan(long nodeId) {
    return cancelled.getOrDefault(nodeId, false);
  }

  public List<Reply> replies(long nodeId) {
    return replies.stream().filter(r -> r.node().nodeId() == nodeId).toList();
  }
}
