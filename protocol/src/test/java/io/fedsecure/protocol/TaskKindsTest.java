package io.fedsecure.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsecure.crypto.envelope.MessageKind;
import io.fedsecure.proto.TaskKind;
import org.junit.jupiter.api.Test;

class TaskKindsTest {

  @Test
  void givenEachEnvelopeKind_whenMappedToTheWireAndBack_thenItIsTheSameKind() {
    for (MessageKind kind : MessageKind.values()) {
      assertThat(TaskKinds.messageKind(TaskKinds.taskKind(kind))).contains(kind);
    }
  }

  @Test
  void givenAnUnspecifiedOrUnknownTaskKind_whenMapped_thenThereIsNoEnvelopeKind() {
    assertThat(TaskKinds.messageKind(TaskKind.TASK_KIND_UNSPECIFIED)).isEmpty();
    assertThat(TaskKinds.messageKind(TaskKind.UNRECOGNIZED)).isEmpty();
  }
}
