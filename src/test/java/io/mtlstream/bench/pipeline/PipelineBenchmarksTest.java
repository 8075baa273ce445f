package io.mtlstream.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.mtlstream.runtime.config.MtlKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Smoke runs of the three pipeline benchmarks against the embedded broker, seconds each. */
class PipelineBenchmarksTest {

  private static final PipelineWorkload TOY = PipelineWorkload.toy(1, 100);

  @Test
  void shouldMeasureEndToEndAndInProcessThroughputSideBySide() throws Exception {
    PipelineThroughput.Result r =
        PipelineThroughput.run(
            PipelineBenchmarksTest::frequentlyCommittingToyRig, options(3000, 0));

    assertThat(r.preloaded()).isEqualTo(3000);
    LearnerRun run = r.runs().get(0);
    // The window opens after the first step the poll sees (on a loaded machine the learner may
    // have trained two or three by then) and closes when the backlog is trained: every later full
    // batch is in it.
    assertThat(run.events()).isBetween(2000L, 2900L);
    assertThat(run.events() % 100).isZero();
    assertThat(run.eventsPerSecond()).isPositive();
    assertThat(run.stepSeconds()).isPositive().isLessThanOrEqualTo(run.seconds() * 1.05);
    assertThat(run.stackSamples()).isNotEmpty();
    // Every client metric is read. The window of 29 steps spans several 10 ms commits, and each
    // commit's flush drains the reports and journal records sent since the one before (the
    // producer counts a record as sent when its batch is drained, not at send()).
    assertThat(run.clientTimes().keySet()).containsExactly(ClientTimes.NAMES);
    assertThat(run.clientTimes().values()).allSatisfy(v -> assertThat(v).isNotNegative());
    assertThat(run.clientTimes().get("kafka.stream.thread.commit.total")).isPositive();
    assertThat(run.clientTimes().get("kafka.producer.record.send.total")).isPositive();
    assertThat(run.clientTimes().get("kafka.producer.flush.time.ns.total")).isPositive();
    assertThat(r.inProcessBefore().eventsPerSecond()).isPositive();
    assertThat(r.inProcessAfter().eventsPerSecond()).isPositive();
    assertThat(r.ratio(run)).isBetween(0.0, 10.0).isPositive();
  }

  @Test
  void shouldTrainALiveFeedInsideTheWindowUntilItsLastEventsAreAhead() throws Exception {
    PipelineThroughput.Result r =
        PipelineThroughput.run(PipelineBenchmarksTest::toyRig, options(4000, 1000));

    assertThat(r.preloaded()).isZero();
    LearnerRun run = r.runs().get(0);
    // Opens after the first step and lasts the 4000 events that follow it, fed while it runs. It
    // closes at the first 10 ms poll of the meters that sees them; a loaded machine may delay
    // that poll by a few 100-event toy steps (CI once saw 4200), and the rate is unbiased by it
    // because the window's time also runs to the last step it counts.
    assertThat(run.events()).isBetween(4000L, 5000L);
    assertThat(run.eventsPerSecond()).isPositive();
    assertThat(r.ratio(run)).isPositive();
    // Every part of the rig is told apart by its real threads' names and did work in the window.
    assertThat(run.cpu().seconds())
        .allSatisfy(
            (part, seconds) -> {
              if (part != CpuBudget.Part.NATIVE) {
                assertThat(seconds).as(part.label()).isPositive();
              }
            });
    assertThat(run.cpu().total()).isCloseTo(run.processCpuSeconds(), withinPercentage(5));
  }

  private static PipelineRig toyRig() throws java.io.IOException {
    return new PipelineRig(TOY, Map.of(MtlKeys.BATCH_SIZE.key(), "100"), Map.of());
  }

  /** Commits every 10 ms, so that even a window of a few dozen steps spans commits. */
  private static PipelineRig frequentlyCommittingToyRig() throws java.io.IOException {
    return new PipelineRig(
        TOY, Map.of(MtlKeys.BATCH_SIZE.key(), "100", "commit.interval.ms", "10"), Map.of());
  }

  private static PipelineThroughput.Options options(long events, long maxAhead) {
    return new PipelineThroughput.Options(
        events,
        List.of("exactly_once_v2"),
        Duration.ofSeconds(90),
        Duration.ofSeconds(20),
        5,
        3,
        5,
        0,
        maxAhead,
        Duration.ZERO,
        Duration.ofMillis(5));
  }

  @Test
  void shouldMatchEventsToTheFirstVisibleSnapshotThatIncludesThem() throws Exception {
    Map<String, String> settings =
        Map.of(MtlKeys.BATCH_SIZE.key(), "100", MtlKeys.SNAPSHOT_EVERY.key(), "5");
    try (PipelineRig rig = new PipelineRig(TOY, settings, Map.of())) {
      SnapshotFreshness.Result r =
          SnapshotFreshness.run(
              rig,
              rig.config("freshness", Map.of()),
              new SnapshotFreshness.Options(
                  600,
                  Duration.ofSeconds(6),
                  Duration.ofSeconds(1),
                  Duration.ofSeconds(30),
                  Duration.ofSeconds(2)),
              (t, sent, trained, snapshots) -> {});

      FreshnessCalculator.Result f = r.freshness();
      assertThat(f.snapshots()).isGreaterThanOrEqualTo(1);
      assertThat(r.published()).isEqualTo(f.snapshots());
      assertThat(f.included()).isPositive();
      assertThat(f.freshness().at(50)).isPositive().isLessThanOrEqualTo(f.freshness().at(99));
      assertThat(f.freshness().at(99)).isLessThanOrEqualTo(f.freshness().max());
      assertThat(f.included() + f.notIncluded() + f.warmupExcluded()).isEqualTo(r.sent());
    }
  }

  @Test
  void shouldSampleMemoryAndStepTimeDuringASoak() throws Exception {
    try (PipelineRig rig =
        new PipelineRig(TOY, Map.of(MtlKeys.BATCH_SIZE.key(), "100"), SoakRun.BROKER_RETENTION)) {
      List<SoakSample> live = new ArrayList<>();
      List<SoakSample> samples =
          SoakRun.run(
              rig,
              rig.config("soak", Map.of()),
              500,
              Duration.ofSeconds(12),
              Duration.ofSeconds(2),
              live::add);

      assertThat(samples).hasSize(6).isEqualTo(live);
      assertThat(samples).allSatisfy(s -> assertThat(s.rssBytes()).isPositive());
      assertThat(samples.get(5).steps()).isGreaterThan(samples.get(1).steps());
      assertThat(samples.get(5).liveArrays()).isPositive();
      assertThat(samples.get(5).sent()).isGreaterThan(1000);
      SoakSummary summary = SoakSummary.of(samples);
      assertThat(summary.warmupSamples()).isEqualTo(2);
      assertThat(summary.rssGrowthPercent()).isFinite();
    }
  }
}
