package io.fedsecure.superlink.fleet;

import io.fedsecure.proto.fleet.ReplyFrame;
import io.fedsecure.protocol.framing.ChunkSequence;
import io.fedsecure.protocol.framing.ChunkSequence.FramingException;

/**
 * Checks the framing of one PushReply stream: one ReplyHeader first, then the payload's chunks by
 * the shared rules of {@link ChunkSequence}. Any deviation is the node's fault (INVALID_ARGUMENT).
 * The chunks themselves go wherever the Fleet service sends them.
 */
final class ReplyAssembler {

  private final long maxPayload;
  private ChunkSequence payload;

  ReplyAssembler(long maxPayload) {
    this.maxPayload = maxPayload;
  }

  void accept(ReplyFrame frame) throws FramingException {
    switch (frame.getFrameCase()) {
      case HEADER -> {
        if (payload != null) {
          throw new FramingException("second reply header in one PushReply");
        }
        payload = new ChunkSequence(frame.getHeader().getPayloadSize(), maxPayload);
      }
      case CHUNK -> {
        if (payload == null) {
          throw new FramingException("a payload chunk came before the reply header");
        }
        payload.accept(frame.getChunk());
      }
      default -> throw new FramingException("empty reply frame (neither header nor chunk)");
    }
  }

  void complete() throws FramingException {
    if (payload == null) {
      throw new FramingException("PushReply ended without a reply header");
    }
    payload.checkComplete();
  }
}
