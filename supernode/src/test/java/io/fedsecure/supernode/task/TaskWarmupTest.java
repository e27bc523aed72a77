package io.fedsecure.supernode.task;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.fedsecure.supernode.training.CifarNet;
import org.junit.jupiter.api.Test;

class TaskWarmupTest {

  @Test
  void exercisesTheRealOpenDecodeSealAndSigningPathsWithoutFailing() {
    // Correctness only: every envelope it seals must open and decode to the model's layout.
    assertThatCode(() -> TaskWarmup.run(CifarNet.LAYOUT, 2, 2, System.nanoTime() + 60_000_000_000L))
        .doesNotThrowAnyException();
  }

  @Test
  void stopsAtItsDeadline() {
    assertThatCode(
            () ->
                TaskWarmup.run(
                    CifarNet.LAYOUT, Integer.MAX_VALUE, Integer.MAX_VALUE, System.nanoTime()))
        .doesNotThrowAnyException();
  }
}
