package io.mtlstream.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.mtlstream.event.LabeledEvent;
import io.mtlstream.experiment.ToyTasks;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToyEventSourceTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);

  @Test
  void shouldGenerateIdenticalEventsForTheSameSeed() {
    assertThat(take(source(7, List.of()), 250)).isEqualTo(take(source(7, List.of()), 250));
  }

  @Test
  void shouldGenerateDifferentEventsForDifferentSeeds() {
    List<LabeledEvent> a = take(source(1, List.of()), 10);
    List<LabeledEvent> b = take(source(2, List.of()), 10);
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i).features()).isNotEqualTo(b.get(i).features());
      assertThat(a.get(i).label()).isNotEqualTo(b.get(i).label());
    }
  }

  @Test
  void shouldAssignTasksRoundRobinWithSeededIdsModelAndClockTime() {
    try (ToyEventSource s =
        ToyEventSource.builder()
            .setSigmas(1, 2, 3)
            .optSeed(5)
            .optModel("m1")
            .optClock(CLOCK)
            .optBlockSize(4)
            .build()) {
      for (int i = 0; i < 9; i++) {
        assertThat(s.index()).isEqualTo(i);
        LabeledEvent e = s.next();
        assertThat(e.task()).isEqualTo("task" + (i % 3));
        assertThat(e.id()).isEqualTo("5-" + i);
        assertThat(e.model()).isEqualTo("m1");
        assertThat(e.timestamp()).isEqualTo(CLOCK.millis());
        assertThat(e.featureCount()).isEqualTo(ToyTasks.INPUTS);
        assertThat(e.labelWidth()).isEqualTo(ToyTasks.OUTPUTS);
      }
    }
  }

  @Test
  void shouldLabelEachEventWithItsTasksFunctionOfItsOwnInput() {
    double[] sigmas = {1, 100};
    List<LabeledEvent> events = take(source(3, List.of()), 6);
    assertThat(events.get(0).features()).isNotEqualTo(events.get(1).features());
    try (ToyTasks tasks = new ToyTasks(sigmas, 3)) {
      for (int i = 0; i < events.size(); i++) {
        LabeledEvent e = events.get(i);
        float[] expected = tasks.targets(e.features(), 1)[i % 2];
        float[] label = e.label();
        for (int k = 0; k < label.length; k++) {
          // One row against a block of rows: the matmul may round differently in the last bits.
          assertThat(label[k]).isCloseTo(expected[k], within(1e-4f * (float) sigmas[i % 2]));
        }
      }
    }
  }

  @Test
  void shouldScaleLabelsByTheNewSigmaFromTheDriftIndexOn() {
    List<LabeledEvent> steady = take(source(4, List.of()), 40);
    List<LabeledEvent> drifted = take(source(4, List.of(new SigmaDrift(21, 1, 1))), 40);
    for (int i = 0; i < 40; i++) {
      LabeledEvent a = steady.get(i);
      LabeledEvent b = drifted.get(i);
      assertThat(b.features()).isEqualTo(a.features());
      if (i % 2 == 0 || i < 21) {
        assertThat(b.label()).as("event %d", i).isEqualTo(a.label());
      } else {
        assertThat(magnitude(b) / magnitude(a)).as("event %d", i).isCloseTo(0.01, within(1e-6));
      }
    }
  }

  @Test
  void shouldRejectDriftsOfUnknownTasksAndMalformedDriftText() {
    assertThatThrownBy(
            () ->
                ToyEventSource.builder()
                    .setSigmas(1, 100)
                    .optDrifts(List.of(new SigmaDrift(10, 2, 1)))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tasks are 0..1");
    assertThat(SigmaDrift.parse("50000:1:1")).isEqualTo(new SigmaDrift(50000, 1, 1));
    assertThatThrownBy(() -> SigmaDrift.parse("50000:1")).hasMessageContaining("EVENT:TASK:SIGMA");
    assertThatThrownBy(() -> SigmaDrift.parse("1:1:-2")).hasMessageContaining("> 0");
  }

  private static double magnitude(LabeledEvent e) {
    double sum = 0;
    for (float v : e.label()) {
      sum += Math.abs(v);
    }
    return sum;
  }

  private static ToyEventSource source(long seed, List<SigmaDrift> drifts) {
    // Block size 16: drifts and blocks fall at different indices.
    return ToyEventSource.builder()
        .setSigmas(1, 100)
        .optSeed(seed)
        .optDrifts(drifts)
        .optClock(CLOCK)
        .optBlockSize(16)
        .build();
  }

  private static List<LabeledEvent> take(ToyEventSource source, int n) {
    try (source) {
      List<LabeledEvent> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(source.next());
      }
      return out;
    }
  }
}
