package io.fedsecure.superlink.strategy;

import io.fedsecure.crypto.envelope.MessageKind;
import io.fedsecure.proto.TaskKind;

/** The two phases of a round, with the names they go by on the wire, in envelopes and in logs. */
public enum Phase {
  TRAIN("train", TaskKind.TASK_KIND_TRAIN, MessageKind.TRAIN),
  EVALUATE("evaluate", TaskKind.TASK_KIND_EVALUATE, MessageKind.EVALUATE);

  private final String displayName;
  private final TaskKind taskKind;
  private final MessageKind messageKind;

  Phase(String displayName, TaskKind taskKind, MessageKind messageKind) {
    this.displayName = displayName;
    this.taskKind = taskKind;
    this.messageKind = messageKind;
  }

  public TaskKind taskKind() {
    return taskKind;
  }

  /** The kind bound into the envelopes exchanged in this phase. */
  public MessageKind messageKind() {
    return messageKind;
  }

  /** How logs, instruction ids and dropped-reply reasons name the phase: "train", "evaluate". */
  @Override
  public String toString() {
    return displayName;
  }
}
