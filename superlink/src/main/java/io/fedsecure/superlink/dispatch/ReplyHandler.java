package io.fedsecure.superlink.dispatch;

import io.fedsecure.proto.fleet.PushReplyResponse;
import io.fedsecure.proto.fleet.ReplyHeader;
import io.fedsecure.superlink.auth.AuthenticatedNode;
import io.fedsecure.superlink.fleet.ReplySink;

/** The round waiting for replies to the instructions it registered with the dispatcher. */
public interface ReplyHandler {

  /** The first reply to {@code instructionId}, from the node it was sent to. */
  PushReplyResponse onReply(String instructionId, AuthenticatedNode node, ReplyHeader header, byte[] payload);

  /** A second reply to an instruction, already refused by the dispatcher. */
  void onDuplicate(String instructionId, AuthenticatedNode node);

  /** The node's instruction stream closed before it replied: it will not reply. */
  void onNodeLost(String instructionId, long nodeId, String reason);

  /**
   * A consumer for this reply's payload as it arrives, or null to receive it whole in
   * {@link #onReply}. The dispatcher has matched instruction and node; whether the reply is the
   * first one is decided when it completes.
   */
  default ReplySink openReply(String instructionId, AuthenticatedNode node, ReplyHeader header) {
    return null;
  }
}
