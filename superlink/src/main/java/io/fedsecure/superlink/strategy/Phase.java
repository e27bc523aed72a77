package io.fedsecure.superlink.strategy;

import io.fedsecure.crypto.envelope.MessageKind;
import io.fedsecure.proto.TaskKind;
import io.fedsecure.protocol.TaskKinds;

/** The two phases of a round, with the names they go by on the wire, in envelopes and in logs. */
public enum Phase {
  TRAIN("train", TaskKind.TASK_KIND_TRAIN),
  EVALUATE("evaluate", TaskKind.TASK_KIND_EVALUATE);

  private final String displayName;
  private final TaskKind taskKind;

  Phase(String displayName, TaskKind taskKind) {
    this.displayName = displayName;
    this.taskKind = taskKind;
  }

  public TaskKind taskKind() {
    return taskKind;
  }

  /** The kind bound into the envelopes exchanged in this phase. */
  public MessageKind messageKind() {
    return TaskKinds.messageKind(taskKind).orElseThrow();
  }

  /** How logs, instruction ids and dropped-reply reasons name the phase: "train", "evaluate". */
  @Override
  public String toString() {
    return displayName;
  }
}
