package io.fedsecure.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcLogSummaryTest {

  private static final String BEFORE_RUN =
      """
      [0.011s][info][gc] Using G1
      [2.100s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 900M->10M(1024M) 5.000ms
      """;
  private static final String DURING_RUN =
      """
      [9.000s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 250M->120M(600M) 3.500ms
      [9.500s][info][gc] GC(2) Concurrent Mark Cycle 40.123ms
      [9.600s][info][gc] GC(3) Pause Remark 590M->590M(600M) 1.500ms
      [10.00s][info][gc] GC(4) Pause Young (Concurrent Start) (G1 Humongous Allocation) 512000K->204800K(614400K) 2.000ms
      [11.00s][info][gc] GC(5) Pause Full (G1 Compaction Pause) 1G->310M(600M) 80.000ms
      """;

  @Test
  void summarisesOnlyTheCollectionsAfterTheOffset(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("gc.log");
    Files.writeString(log, BEFORE_RUN + DURING_RUN);

    GcLogSummary gc = GcLogSummary.read(log, BEFORE_RUN.getBytes(StandardCharsets.UTF_8).length);

    // The concurrent cycle has no sizes and is not a pause; the one before the offset is excluded.
    assertThat(gc.collections()).isEqualTo(4);
    assertThat(gc.maxBeforeBytes()).isEqualTo(1L << 30);
    // The Remark's 590M is use at that moment, not what a collection left.
    assertThat(gc.maxAfterBytes()).isEqualTo(310L << 20);
    assertThat(gc.lastAfterBytes()).isEqualTo(310L << 20);
    assertThat(GcLogSummary.parse(BEFORE_RUN).lastAfterBytes()).isEqualTo(10L << 20);
    assertThat(gc.pauseSeconds()).isCloseTo(0.087, within(1e-9));
  }

  @Test
  void aMissingLogOrOneWithoutCollectionsIsEmpty(@TempDir Path dir) throws Exception {
    assertThat(GcLogSummary.read(dir.resolve("absent.log"), 0))
        .isEqualTo(new GcLogSummary(0, 0, 0, 0, 0));
    assertThat(GcLogSummary.parse(BEFORE_RUN.lines().findFirst().orElseThrow()).collections())
        .isZero();
  }
}
