package io.fedsecure.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsecure.proto.control.NodeStatus;
import io.fedsecure.proto.control.RunStatus;
import org.junit.jupiter.api.Test;

class StatusWordsTest {

  @Test
  void givenAKnownState_whenNamed_thenItIsFlowersLowerCaseWord() {
    assertThat(StatusWords.of(RunStatus.RUN_STATUS_FINISHED, "RUN_STATUS_")).isEqualTo("finished");
    assertThat(StatusWords.of(NodeStatus.NODE_STATUS_UNREGISTERED, "NODE_STATUS_"))
        .isEqualTo("unregistered");
  }

  @Test
  void givenTheUnspecifiedOrANewerServersState_whenNamed_thenItIsUnknown() {
    assertThat(StatusWords.of(RunStatus.RUN_STATUS_UNSPECIFIED, "RUN_STATUS_"))
        .isEqualTo("unknown");
    assertThat(StatusWords.of(NodeStatus.UNRECOGNIZED, "NODE_STATUS_")).isEqualTo("unknown");
  }
}
