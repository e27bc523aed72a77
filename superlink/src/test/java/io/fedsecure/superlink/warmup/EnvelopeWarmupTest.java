package io.fedsecure.superlink.warmup;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.fedsecure.superlink.model.NetLayout;
import org.junit.jupiter.api.Test;

class EnvelopeWarmupTest {

  @Test
  void exercisesTheRealSealOpenDecodeAndSignaturePathsWithoutFailing() {
    // Correctness only: every envelope it seals must open and decode, every signature verify.
    assertThatCode(
            () -> EnvelopeWarmup.run(NetLayout.LAYOUT, 2, 2, System.nanoTime() + 60_000_000_000L))
        .doesNotThrowAnyException();
  }

  @Test
  void stopsAtItsDeadline() {
    assertThatCode(
            () ->
                EnvelopeWarmup.run(
                    NetLayout.LAYOUT, Integer.MAX_VALUE, Integer.MAX_VALUE, System.nanoTime()))
        .doesNotThrowAnyException();
  }
}
