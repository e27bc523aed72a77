package io.fedsecure.superlink.fleet;

import io.fedsecure.proto.PayloadChunk;
import io.fedsecure.proto.fleet.ReplyFrame;
import io.fedsecure.proto.fleet.ReplyHeader;

/**
 * Checks the framing of one PushReply stream: a ReplyHeader, then chunks with consecutive indices
 * from 0 whose sizes add up to the header's payload_size. Any deviation is the node's fault
 * (INVALID_ARGUMENT). The chunks themselves go wherever the Fleet service sends them.
 */
final class ReplyAssembler {

  /** A reply stream that breaks the framing rules; the message says which. */
  static final class InvalidReplyException extends Exception {
    InvalidReplyException(String message) {
      super(message, null, false, false);
    }
  }

  private final long maxPayload;
  private ReplyHeader header;
  private long announced;
  private long received;
  private int nextIndex;
  private boolean lastSeen;

  ReplyAssembler(long maxPayload) {
    this.maxPayload = maxPayload;
  }

  void accept(ReplyFrame frame) throws InvalidReplyException {
    switch (frame.getFrameCase()) {
      case HEADER -> acceptHeader(frame.getHeader());
      case CHUNK -> acceptChunk(frame.getChunk());
      default -> throw new InvalidReplyException("empty reply frame (neither header nor chunk)");
    }
  }

  private void acceptHeader(ReplyHeader h) throws InvalidReplyException {
    if (header != null) {
      throw new InvalidReplyException("second reply header in one PushReply");
    }
    if (h.getPayloadSize() < 0 || h.getPayloadSize() > maxPayload) {
      throw new InvalidReplyException("payload_size " + Long.toUnsignedString(h.getPayloadSize())
          + " exceeds the maximum of " + maxPayload + " bytes");
    }
    header = h;
    announced = h.getPayloadSize();
  }

  private void acceptChunk(PayloadChunk chunk) throws InvalidReplyException {
    if (header == null) {
      throw new InvalidReplyException("a payload chunk came before the reply header");
    }
    if (lastSeen) {
      throw new InvalidReplyException("chunk " + chunk.getIndex() + " after the chunk flagged last");
    }
    if (chunk.getIndex() != nextIndex) {
      throw new InvalidReplyException("chunk index " + Integer.toUnsignedString(chunk.getIndex())
          + " where " + nextIndex + " was expected");
    }
    int size = chunk.getData().size();
    if (received + size > announced) {
      throw new InvalidReplyException("chunks exceed the header's payload_size of " + announced + " bytes");
    }
    received += size;
    nextIndex++;
    lastSeen = chunk.getLast();
  }

  void complete() throws InvalidReplyException {
    if (header == null) {
      throw new InvalidReplyException("PushReply ended without a reply header");
    }
    if (received != announced) {
      throw new InvalidReplyException("received " + received + " payload bytes, the header announced " + announced);
    }
    if (nextIndex > 0 && !lastSeen) {
      throw new InvalidReplyException("the final chunk " + (nextIndex - 1) + " is not flagged last");
    }
  }
}
