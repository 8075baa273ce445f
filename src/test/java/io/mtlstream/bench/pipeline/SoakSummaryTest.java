package io.mtlstream.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoakSummaryTest {

  private static SoakSample sample(double t, long rssMiB, double stepMs, double arrays) {
    return new SoakSample(t, rssMiB << 20, 100L << 20, arrays, (long) t * 10, stepMs, 1000, 0);
  }

  @Test
  void shouldMeasureGrowthAndDriftAfterTheFirstFifthOfTheSamples() {
    List<SoakSample> samples = new ArrayList<>();
    // Warm-up: RSS climbs steeply and steps are slow; it must not count.
    samples.add(sample(10, 100, 9.0, 500));
    samples.add(sample(20, 300, 6.0, 520));
    // After the warm-up: 400 → 412 MiB (+3%), 4.0 → 4.4 ms (×1.1).
    samples.add(sample(30, 400, 4.0, 600));
    for (int i = 0; i < 6; i++) {
      samples.add(sample(40 + 10 * i, 404, Double.NaN, 600));
    }
    samples.add(sample(100, 412, 4.4, 610));

    SoakSummary s = SoakSummary.of(samples);

    assertThat(s.warmupSamples()).isEqualTo(2);
    assertThat(s.rssGrowthPercent()).isCloseTo(3.0, within(1e-9));
    assertThat(s.stepDrift()).isCloseTo(1.1, within(1e-9));
    assertThat(s.liveArraysGrowth()).isEqualTo(10);
    assertThat(s.memoryPass()).isTrue();
    assertThat(s.stepTimePass()).isTrue();
    assertThat(s.pass()).isTrue();
  }

  @Test
  void shouldFailOnMemoryGrowthOrStepTimeDriftBeyondTheTargets() {
    List<SoakSample> leaking = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      leaking.add(sample(i, 400 + 5L * i, 4.0, 600));
    }
    SoakSummary leak = SoakSummary.of(leaking);
    assertThat(leak.rssGrowthPercent()).isCloseTo(100.0 * 35 / 410, within(1e-9));
    assertThat(leak.memoryPass()).isFalse();
    assertThat(leak.stepTimePass()).isTrue();

    List<SoakSample> slowing = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      slowing.add(sample(i, 400, 4.0 * (1 + 0.05 * i), 600));
    }
    SoakSummary slow = SoakSummary.of(slowing);
    assertThat(slow.stepDrift()).isCloseTo(1.45 / 1.10, within(1e-9));
    assertThat(slow.stepTimePass()).isFalse();
    assertThat(slow.pass()).isFalse();
  }

  @Test
  void shouldRefuseTooFewSamplesForAVerdict() {
    assertThatThrownBy(() -> SoakSummary.of(List.of(sample(1, 1, 1, 1), sample(2, 1, 1, 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("run longer");
  }

  @Test
  void shouldReadResidentSetSizeInBytesFromProcStatus() {
    String status = "Name:\tjava\nVmPeak:\t 9000 kB\nVmRSS:\t  123456 kB\nThreads:\t40\n";
    assertThat(ProcessMemory.parseVmRss(status)).isEqualTo(123456L * 1024);
    assertThat(ProcessMemory.parseVmRss("Name:\tjava\n")).isEqualTo(-1);
  }
}
