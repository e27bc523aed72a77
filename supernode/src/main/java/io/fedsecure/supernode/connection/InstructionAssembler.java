package io.fedsecure.supernode.connection;

import io.fedsecure.proto.PayloadChunk;
import io.fedsecure.proto.fleet.Instruction;
import io.fedsecure.proto.fleet.InstructionFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reassembles the instruction stream (an Instruction frame, then PayloadChunk frames up to the
 * one flagged last) as frames arrive, checking chunk order and the announced total size. Frames of
 * one stream arrive serially, so this needs no locking.
 */
final class InstructionAssembler {
  private static final Logger log = LoggerFactory.getLogger(InstructionAssembler.class);

  private final long maxPayloadSize;
  private final SessionContext session;
  private final InstructionHandler handler;

  private Instruction pending;
  private byte[] buffer;
  private int filled;
  private int nextIndex;

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
      broken("the instruction stream ended after " + filled + " of " + pending.getPayloadSize() + " payload bytes");
    }
  }

  private void begin(Instruction instruction) {
    if (pending != null) {
      broken("a new instruction arrived after only " + filled + " of " + pending.getPayloadSize() + " payload bytes");
    }
    long size = instruction.getPayloadSize();
    if (size > maxPayloadSize) {
      pending = instruction;
      broken("the encrypted model of " + size + " bytes exceeds this node's limit of " + maxPayloadSize + " bytes");
      return;
    }
    log.info("instruction {} for run {} round {} ({}) announced, {} encrypted bytes follow",
        instruction.getInstructionId(), instruction.getRunId(), instruction.getRound(), instruction.getKind(), size);
    pending = instruction;
    buffer = new byte[(int) size];
    filled = 0;
    nextIndex = 0;
    if (size == 0) {
      complete();
    }
  }

  private void chunk(PayloadChunk chunk) {
    if (pending == null) {
      log.warn("ignoring payload chunk {} that belongs to no instruction", chunk.getIndex());
      return;
    }
    if (chunk.getIndex() != nextIndex) {
      broken("payload chunk " + chunk.getIndex() + " arrived where chunk " + nextIndex + " was expected");
      return;
    }
    int length = chunk.getData().size();
    if ((long) filled + length > buffer.length) {
      broken("payload chunks exceed the announced payload_size of " + buffer.length + " bytes");
      return;
    }
    chunk.getData().copyTo(buffer, filled);
    filled += length;
    nextIndex++;
    if (chunk.getLast()) {
      if (filled != buffer.length) {
        broken("the last payload chunk left the payload at " + filled + " of the announced " + buffer.length + " bytes");
        return;
      }
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
    log.warn("instruction {} for round {}: {}", instruction.getInstructionId(), instruction.getRound(), problem);
    handler.onBrokenTransfer(session, instruction, problem);
  }

  private void reset() {
    pending = null;
    buffer = null;
    filled = 0;
    nextIndex = 0;
  }
}
