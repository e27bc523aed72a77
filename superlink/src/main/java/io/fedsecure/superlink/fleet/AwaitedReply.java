package io.fedsecure.superlink.fleet;

import io.fedsecure.proto.fleet.ReplyHeader;
import io.fedsecure.superlink.auth.AuthenticatedNode;

/**
 * The reply one instruction waits for, as {@link NodeStreams} sees it: it routes every PushReply
 * naming the instruction here, and says when the node's stream ended before an answer. Whether a
 * reply counts is decided by the implementation (the run's {@code InstructionReply}), nowhere else.
 */
public interface AwaitedReply {

  /** The node the instruction was sent to. */
  long nodeId();

  /** True once a reply to the instruction completed, counted or not: later ones are duplicates. */
  boolean answered();

  /**
   * Where the payload of a PushReply naming this instruction goes, from whichever node sent it. The
   * header's framing has been checked; the call's signature is checked before {@link
   * ReplySink#complete} runs.
   */
  ReplySink receive(AuthenticatedNode caller, ReplyHeader header);

  /** The node's instruction stream ended (or never existed) before it answered. */
  void nodeLost(String reason);
}
