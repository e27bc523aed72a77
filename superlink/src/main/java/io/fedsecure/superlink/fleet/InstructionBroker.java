package io.fedsecure.superlink.fleet;

import io.fedsecure.proto.fleet.InstructionFrame;
import io.fedsecure.proto.fleet.PushReplyResponse;
import io.fedsecure.proto.fleet.ReplyHeader;
import io.fedsecure.superlink.auth.AuthenticatedNode;
import io.grpc.stub.ServerCallStreamObserver;

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
}
