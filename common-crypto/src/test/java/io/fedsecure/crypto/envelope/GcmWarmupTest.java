package io.fedsecure.crypto.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GcmWarmupTest {

  @Test
  void aPassedDeadlineRunsNothingAndSaysSo() {
    GcmWarmup.Outcome outcome = GcmWarmup.run(248_024, System.nanoTime());
    assertThat(outcome.rounds()).isZero();
    assertThat(outcome.fast()).isFalse();
    assertThat(outcome.describe()).contains("NOT yet on its compiled path");
  }

  /** The machines this project runs on have AES-NI and carry-less multiply (see the env notes). */
  @Test
  void reachesTheCompiledPathForModelSizedEnvelopes() {
    GcmWarmup.Outcome outcome =
        GcmWarmup.run(248_024, System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
    assertThat(outcome.fast()).as(outcome.describe()).isTrue();
    assertThat(outcome.mbPerCpuSecond()).isGreaterThanOrEqualTo(GcmWarmup.FAST_MB_PER_CPU_SECOND);
    assertThat(outcome.rounds()).isGreaterThanOrEqualTo(GcmWarmup.FAST_IN_A_ROW);
  }

  @Test
  void refusesAnEmptyMessageSize() {
    assertThatThrownBy(() -> GcmWarmup.run(0, System.nanoTime()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
  }
}
