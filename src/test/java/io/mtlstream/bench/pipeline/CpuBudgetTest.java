package io.mtlstream.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mtlstream.bench.pipeline.CpuBudget.Part;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpuBudgetTest {

  private static final String APP = "mtl-bench-pipeline-exactly-once-v2";

  @Test
  void shouldSortThreadsIntoThePartsOfTheRigByTheirNames() {
    String stream = APP + "-5d92ca9a-82b5-418c-805e-010614863890-StreamThread-1#120";
    assertThat(CpuBudget.partOf("mtl-trainer-0_0#119", APP)).isEqualTo(Part.TRAINING);
    assertThat(CpuBudget.partOf(stream, APP)).isEqualTo(Part.STREAM);
    assertThat(
            CpuBudget.partOf(
                "kafka-producer-network-thread | " + stream.replace("#120", "-producer#121"), APP))
        .isEqualTo(Part.LEARNER_CLIENTS);
    assertThat(CpuBudget.partOf("kafka-coordinator-heartbeat-thread | " + APP + "#122", APP))
        .isEqualTo(Part.LEARNER_CLIENTS);
    assertThat(CpuBudget.partOf(APP + "-5d92ca9a-admin#123", APP)).isEqualTo(Part.LEARNER_CLIENTS);
    assertThat(CpuBudget.partOf("mtl-bench-feed-live#117", APP)).isEqualTo(Part.FEED);
    assertThat(CpuBudget.partOf("kafka-producer-network-thread | mtl-bench-feed-3#116", APP))
        .isEqualTo(Part.FEED);
    assertThat(CpuBudget.partOf("data-plane-kafka-request-handler-6#85", APP))
        .isEqualTo(Part.OTHER_JAVA);
    // Another application's clients are not this learner's.
    assertThat(
            CpuBudget.partOf(
                "kafka-producer-network-thread | mtl-bench-pipeline-at-least-once-1-producer#9",
                APP))
        .isEqualTo(Part.OTHER_JAVA);
  }

  @Test
  void shouldSumThePartsAndLeaveWhatJavaThreadsDidNotUseToNative() {
    CpuBudget cpu =
        CpuBudget.of(
            List.of(
                new ThreadCpu.Share("mtl-trainer-0_0#1", 13.0),
                new ThreadCpu.Share(APP + "-x-StreamThread-1#2", 9.0),
                new ThreadCpu.Share("kafka-producer-network-thread | " + APP + "-p#3", 1.5),
                new ThreadCpu.Share("mtl-bench-feed-live#4", 2.5),
                new ThreadCpu.Share("data-plane-kafka-network-thread-1#5", 1.0),
                new ThreadCpu.Share("data-plane-kafka-request-handler-1#6", 0.5)),
            APP,
            30.0);

    assertThat(cpu.seconds())
        .containsEntry(Part.TRAINING, 13.0)
        .containsEntry(Part.STREAM, 9.0)
        .containsEntry(Part.LEARNER_CLIENTS, 1.5)
        .containsEntry(Part.FEED, 2.5)
        .containsEntry(Part.OTHER_JAVA, 1.5)
        .containsEntry(Part.NATIVE, 2.5);
    assertThat(cpu.total()).isCloseTo(30.0, within(1e-9));
    assertThat(cpu.learners()).isCloseTo(23.5, within(1e-9));
    // 30 CPU seconds for 600,000 events: 50 µs each, so two cores train at most 40,000 a second.
    assertThat(CpuBudget.microsPerEvent(cpu.total(), 600_000)).isCloseTo(50.0, within(1e-9));
    assertThat(CpuBudget.ceiling(cpu.total(), 600_000, 2)).isCloseTo(40_000.0, within(1e-6));
  }

  @Test
  void shouldNotCountMoreJavaThanProcessCpuAsNegativeNative() {
    // Thread and process clocks are read at slightly different instants.
    CpuBudget cpu =
        CpuBudget.of(List.of(new ThreadCpu.Share("mtl-trainer-0_0#1", 10.0)), APP, 9.99);
    assertThat(cpu.seconds().get(Part.NATIVE)).isZero();
    assertThat(cpu.seconds().get(Part.FEED)).isZero();
  }
}
