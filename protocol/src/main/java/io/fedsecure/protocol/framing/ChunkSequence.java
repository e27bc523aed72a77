package io.fedsecure.protocol.framing;

import io.fedsecure.proto.PayloadChunk;

/**
 * Checks, chunk by chunk, that a payload arrives as {@link PayloadChunks} frames it: consecutive
 * indices from 0, never more bytes than announced, nothing after the chunk flagged last, and at the
 * end exactly the announced size. It holds no payload bytes: the caller keeps or streams them. Each
 * message names the problem; a broken sequence is the sender's fault.
 */
public final class ChunkSequence {

  /** A chunk or an ending that breaks the framing rules. */
  public static final class FramingException extends Exception {
    public FramingException(String message) {
      super(message, null, false, false);
    }
  }

  private final long announced;
  private long received;
  private int nextIndex;
  private boolean lastSeen;

  /**
   * For a payload announced at {@code announced} bytes, refused at once above {@code maxPayload}.
   */
  public ChunkSequence(long announced, long maxPayload) throws FramingException {
    if (announced < 0 || announced > maxPayload) {
      throw new FramingException(
          "payload_size "
              + Long.toUnsignedString(announced)
              + " exceeds the maximum of "
              + maxPayload
              + " bytes");
    }
    this.announced = announced;
  }

  public long announced() {
    return announced;
  }

  public long received() {
    return received;
  }

  public void accept(PayloadChunk chunk) throws FramingException {
    if (lastSeen) {
      throw new FramingException(
          "chunk " + Integer.toUnsignedString(chunk.getIndex()) + " after the chunk flagged last");
    }
    if (chunk.getIndex() != nextIndex) {
      throw new FramingException(
          "chunk index "
              + Integer.toUnsignedString(chunk.getIndex())
              + " where "
              + nextIndex
              + " was expected");
    }
    int size = chunk.getData().size();
    if (received + size > announced) {
      throw new FramingException(
          "chunks exceed the announced payload_size of " + announced + " bytes");
    }
    received += size;
    nextIndex++;
    lastSeen = chunk.getLast();
    if (lastSeen && received != announced) {
      throw new FramingException(
          "the chunk flagged last ends the payload at "
              + received
              + " of the announced "
              + announced
              + " bytes");
    }
  }

  /** Whether every announced byte arrived (an empty payload is complete at once). */
  public boolean isComplete() {
    return received == announced && (nextIndex == 0 || lastSeen);
  }

  /** The payload ended here: refuses a short payload or a final chunk not flagged last. */
  public void checkComplete() throws FramingException {
    if (received != announced) {
      throw new FramingException(
          "received " + received + " payload bytes, the header announced " + announced);
    }
    if (nextIndex > 0 && !lastSeen) {
      throw new FramingException("the final chunk " + (nextIndex - 1) + " is not flagged last");
    }
  }
}
