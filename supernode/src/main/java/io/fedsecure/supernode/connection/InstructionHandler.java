package io.fedsecure.supernode.connection;

import io.fedsecure.proto.fleet.Instruction;

/** Receives complete instructions from the stream (implemented by the task side). */
public interface InstructionHandler {

  /** Called on a gRPC thread, in arrival order: hand the work off and return quickly. */
  void onInstruction(SessionContext session, Instruction instruction, byte[] envelope);

  /** The instruction's payload did not arrive intact; the handler answers with an error reply. */
  void onBrokenTransfer(SessionContext session, Instruction instruction, String problem);
}
