package io.fedsecure.superlink.support;

import com.google.protobuf.ByteString;
import io.fedsecure.proto.fleet.PushReplyResponse;
import io.fedsecure.proto.fleet.ReplyHeader;
import io.fedsecure.superlink.auth.AuthenticatedNode;
import io.fedsecure.superlink.fleet.AwaitedReply;
import io.fedsecure.superlink.fleet.ReplySink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An instruction awaiting its reply that accepts whatever completes and keeps it, so that tests of
 * the Fleet side can see what reached the instruction.
 */
public final class RecordingReply implements AwaitedReply {

  /** A completed reply as it arrived. */
  public record Received(AuthenticatedNode caller, ReplyHeader header, byte[] payload) {}

  private final long nodeId;
  private final AtomicBoolean answered = new AtomicBoolean();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<String> lost = new CopyOnWriteArrayList<>();

  public RecordingReply(long nodeId) {
    this.nodeId = nodeId;
  }

  public List<Received> received() {
    return received;
  }

  /** The reasons given each time the node was reported lost. */
  public List<String> lost() {
    return lost;
  }

  @Override
  public long nodeId() {
    return nodeId;
  }

  @Override
  public boolean answered() {
    return answered.get();
  }

  @Override
  public ReplySink receive(AuthenticatedNode caller, ReplyHeader header) {
    return new ReplySink() {
      private ByteString payload = ByteString.EMPTY;

      @Override
      public void start(Runnable ready) {
        ready.run();
      }

      @Override
      public void chunk(ByteString data) {
        payload = payload.concat(data);
      }

      @Override
      public PushReplyResponse complete() {
        answered.set(true);
        received.add(new Received(caller, header, payload.toByteArray()));
        return PushReplyResponse.newBuilder().setAccepted(true).build();
      }

      @Override
      public void abort() {}
    };
  }

  @Override
  public void nodeLost(String reason) {
    lost.add(reason);
  }
}
