package io.fedsecure.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LargeModelTableTest {

  private static Map<String, Object> row(double baselineMib, double peakMib, String xmx) {
    return row(baselineMib, peakMib, 60, 60 + 100, xmx);
  }

  private static Map<String, Object> row(
      double baselineMib, double peakMib, double idleLiveMib, double roundLiveMib, String xmx) {
    Map<String, Object> r = new HashMap<>();
    r.put("ok", true);
    r.put("nodes", 10);
    r.put("model_bytes", 100_000_000L);
    r.put("superlink_heap_max", xmx);
    r.put("superlink_baseline_peak_heap_mib", baselineMib);
    r.put("superlink_peak_heap_mib", peakMib);
    r.put("superlink_idle_live_heap_mib", idleLiveMib);
    r.put("superlink_gc_max_after_mib", roundLiveMib);
    return r;
  }

  @Test
  void theGoalIsGrowthOverTheIdleBaselineOfAtMostThreeModels() {
    // 3 x 100 MB = 286.1 MiB.
    assertThat(LargeModelTable.verdict(row(150, 150 + 286, "600m")))
        .isEqualTo("peak +<=3x, live +<=3x, peak <=Xmx");
    assertThat(LargeModelTable.met(row(150, 150 + 286, "600m"))).isTrue();
    assertThat(LargeModelTable.verdict(row(150, 150 + 287, "600m"))).startsWith("peak +> 3x");
    assertThat(LargeModelTable.met(row(150, 150 + 287, "600m"))).isFalse();
    assertThat(LargeModelTable.verdict(row(150, 300, 60, 60 + 287, "600m"))).contains("live +> 3x");
    assertThat(LargeModelTable.verdict(row(150, 420, "400m"))).endsWith("peak > Xmx");
    assertThat(LargeModelTable.met(row(150, 420, "400m"))).isFalse();
  }

  @Test
  void aFailedRunHasNoMemoryVerdict() {
    Map<String, Object> r = row(150, 200, "600m");
    r.put("ok", false);
    assertThat(LargeModelTable.verdict(r)).isEqualTo("RUN FAILED");
    assertThat(LargeModelTable.met(r)).isFalse();
    assertThat(LargeModelTable.render(java.util.List.of(r))).contains("RUN FAILED");
  }

  @Test
  void readsJavaHeapSizes() {
    assertThat(LargeModelTable.heapMib("600m")).isEqualTo(600);
    assertThat(LargeModelTable.heapMib("1G")).isEqualTo(1024);
    assertThat(LargeModelTable.heapMib("524288k")).isEqualTo(512);
    assertThat(LargeModelTable.heapMib("1048576")).isEqualTo(1);
    assertThat(LargeModelTable.heapMib("lots")).isNaN();
  }
}
