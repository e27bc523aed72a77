package io.fedsecure.protocol;

import io.fedsecure.crypto.envelope.MessageKind;
import io.fedsecure.proto.TaskKind;
import java.util.Optional;

/**
 * The one mapping between the wire's task kind and the envelope kind bound into its associated
 * data.
 */
public final class TaskKinds {

  private TaskKinds() {}

  /**
   * The envelope kind for a task kind; empty for {@code TASK_KIND_UNSPECIFIED} or a kind this build
   * does not know.
   */
  public static Optional<MessageKind> messageKind(TaskKind kind) {
    return switch (kind) {
      case TASK_KIND_TRAIN -> Optional.of(MessageKind.TRAIN);
      case TASK_KIND_EVALUATE -> Optional.of(MessageKind.EVALUATE);
      default -> Optional.empty();
    };
  }

  public static TaskKind taskKind(MessageKind kind) {
    return switch (kind) {
      case TRAIN -> TaskKind.TASK_KIND_TRAIN;
      case EVALUATE -> TaskKind.TASK_KIND_EVALUATE;
    };
  }
}
