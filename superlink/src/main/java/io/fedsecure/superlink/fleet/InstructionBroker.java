package io.fedsecure.superlink.fleet;

import com.google.protobuf.ByteString;
import io.fedsecure.proto.fleet.InstructionFrame;
import io.fedsecure.proto.fleet.PushReplyResponse;
import io.fedsecure.proto.fleet.ReplyHeader;
import io.fedsecure.superlink.auth.AuthenticatedNode;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the Fleet service hands over instruction streams and replies: the run engine implements
 * it. The Fleet service has already authenticated the node and checked that the reply header
 * names it.
 */
public interface InstructionBroker {

  /**
   * The node opened its long-lived instruction stream. The broker keeps it and pushes frames (an
   * Instruction, then the chunks of its envelope) as runs need the node, until either side closes it.
   */
  void openStream(AuthenticatedNode node, ServerCallStreamObserver<InstructionFrame> stream);

  /** A complete reply: the header and the reassembled encrypted payload (empty for evaluation). */
  PushReplyResponse acceptReply(AuthenticatedNode node, ReplyHeader header, byte[] payload);

  /**
   * Where the payload of a reply with this (framing-checked, not yet signature-checked) header goes.
   * By default it is collected whole and handed to {@link #acceptReply} at the end; brokers that can
   * consume it as it arrives override this.
   */
  default ReplySink openReply(AuthenticatedNode node, ReplyHeader header) {
    return new ReplySink() {
      private final List<ByteString> chunks = new ArrayList<>();

      @Override
      public void start(Runnable ready) {
        ready.run();
      }

      @Override
      public void chunk(ByteString data) {
        chunks.add(data);
      }

      @Override
      public PushReplyResponse complete() {
        return acceptReply(node, header, ByteString.copyFrom(chunks).toByteArray());
      }

      @Override
      public void abort() {
        chunks.clear();
      }
    };
  }
}
