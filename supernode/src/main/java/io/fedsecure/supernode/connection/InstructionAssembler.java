package io.fedsecure.supernode.connection;

import io.fedsecure.proto.PayloadChunk;
import io.fedsecure.proto.fleet.Instruction;
import io.fedsecure.proto.fleet.InstructionFrame;
import io.fedsecure.protocol.framing.ChunkSequence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reassembles the instruction stream (an Instruction frame, then PayloadChunk frames up to the one
 * flagged last) as frames arrive, checking chunk order and the announced total size. Frames of one
 * stream arrive serially, so this needs no locking.
 */
final class InstructionAssembler {
  private static final Logger log = LoggerFactory.getLogger(InstructionAssembler.class);

  private final long maxPayloadSize;
  private final SessionContext session;
  private final InstructionHandler handler;

  private Instruction pending;
  private ChunkSequence sequence;
  private byte[] buffer;

  InstructionAssembler(long maxPayloadSize, SessionContext session, InstructionHandler handler) {
    this.maxPayloadSize = maxPayloadSize;
    this.session = session;
    this.handler = handler;
  }

  void accept(InstructionFrame frame) {
    switch (frame.getFrameCase()) {
      case INSTRUCTION -> begin(frame.getInstruction());
      case CHUNK -> chunk(frame.getChunk());
      default -> log.warn("ignoring an empty instruction frame");
    }
  }

  /** The stream ended; an instruction still waiting for chunks cannot be completed. */
  void streamEnded() {
    if (pending != null) {
      broken(
          "the instruction stream ended after "
              + sequence.received()
              + " of "
              + pending.getPayloadSize()
              + " payload bytes");
    }
  }

  private void begin(Instruction instruction) {
    if (pending != null) {
      broken(
          "a new instruction arrived after only "
              + sequence.received()
              + " of "
              + pending.getPayloadSize()
              + " payload bytes");
    }
    long size = instruction.getPayloadSize();
    pending = instruction;
    try {
      sequence = new ChunkSequence(size, maxPayloadSize);
    } catch (ChunkSequence.FramingException e) {
      broken(
          "the encrypted model of "
              + Long.toUnsignedString(size)
              + " bytes exceeds this node's limit of "
              + maxPayloadSize
              + " bytes");
      return;
    }
    log.info(
        "instruction {} for run {} round {} ({}) announced, {} encrypted bytes follow",
        instruction.getInstructionId(),
        instruction.getRunId(),
        instruction.getRound(),
        instruction.getKind(),
        size);
    buffer = new byte[(int) size];
    if (sequence.isComplete()) {
      complete();
    }
  }

  private void chunk(PayloadChunk chunk) {
    if (pending == null) {
      log.warn("ignoring payload chunk {} that belongs to no instruction", chunk.getIndex());
      return;
    }
    int offset = (int) sequence.received();
    try {
      sequence.accept(chunk);
    } catch (ChunkSequence.FramingException e) {
      broken(e.getMessage());
      return;
    }
    chunk.getData().copyTo(buffer, offset);
    if (sequence.isComplete()) {
      complete();
    }
  }

  private void complete() {
    Instruction instruction = pending;
    byte[] envelope = buffer;
    reset();
    handler.onInstruction(session, instruction, envelope);
  }

  private void broken(String problem) {
    Instruction instruction = pending;
    reset();
    log.warn(
        "instruction {} for round {}: {}",
        instruction.getInstructionId(),
        instruction.getRound(),
        problem);
    handler.onBrokenTransfer(session, instruction, problem);
  }

  private void reset() {
    pending = null;
    sequence = null;
    buffer = null;
  }
}
