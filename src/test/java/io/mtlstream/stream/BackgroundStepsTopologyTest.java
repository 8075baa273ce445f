package io.mtlstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mtlstream.metrics.TrainingReport;
import io.mtlstream.metrics.TrainingReportCodec;
import io.mtlstream.snapshot.Snapshot;
import io.mtlstream.snapshot.SnapshotCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quiet steps trained on the trainer thread change nothing but who runs them: the same events give
 * the same checkpoints, snapshots and reports, bit for bit, as every step on the stream thread; and
 * state taken while a background step runs resumes exactly (what a commit at that moment holds).
 */
class BackgroundStepsTopologyTest {

  // batch 12; a report every 4 steps, a snapshot every 7, a checkpoint every 10: steps such as 1,
  // 2, 3, 5, 6 and 9 are quiet and run in the background, the others on the stream thread
  private static final StreamSettings SYNC = TestStreams.settings(12, 4, 7, 10);
  private static final int EVENTS = 600;

  @Test
  void shouldPublishAndCheckpointBitIdenticallyToSynchronousSteps(@TempDir Path dir) {
    Outputs sync = run(SYNC, dir.resolve("sync"));
    Outputs background = run(background(new SimpleMeterRegistry()), dir.resolve("background"));

    int steps = EVENTS / 12;
    assertThat(sync.steps()).isEqualTo(steps);
    assertThat(sync.backgroundSteps()).isZero();
    assertThat(background.steps()).isEqualTo(steps);
    assertThat(background.backgroundSteps())
        .isEqualTo(countQuiet(steps))
        .isGreaterThan(steps / 3.0);

    assertThat(background.checkpoints).hasSameSizeAs(sync.checkpoints);
    for (int i = 0; i < sync.checkpoints.size(); i++) {
      assertThat(background.checkpoints.get(i).value).isEqualTo(sync.checkpoints.get(i).value);
    }
    assertThat(background.snapshots).hasSize(steps / 7).hasSameSizeAs(sync.snapshots);
    for (int i = 0; i < sync.snapshots.size(); i++) {
      Snapshot a = SnapshotCodec.decode(sync.snapshots.get(i).value());
      Snapshot b = SnapshotCodec.decode(background.snapshots.get(i).value());
      assertThat(b.manifest().step()).isEqualTo(a.manifest().step());
      assertThat(b.manifest().trainedEvents()).isEqualTo(a.manifest().trainedEvents());
      assertThat(b.manifest().newestEventTimestamp())
          .isEqualTo(a.manifest().newestEventTimestamp());
      assertThat(TestStreams.bits(b.parameters())).isEqualTo(TestStreams.bits(a.parameters()));
    }
    assertThat(background.reports).hasSize(steps / 4);
    assertThat(background.reports.stream().map(BackgroundStepsTopologyTest::timeless).toList())
        .isEqualTo(sync.reports.stream().map(BackgroundStepsTopologyTest::timeless).toList());
  }

  @Test
  void shouldResumeExactlyFromStateTakenWhileAStepTrainsInTheBackground(@TempDir Path dir) {
    StreamSettings settings = background(new SimpleMeterRegistry());
    List<byte[]> events = TestStreams.events(EVENTS);
    Snapshot uninterrupted;
    try (TopologyTestDriver driver = TestStreams.driver(settings, dir.resolve("whole"))) {
      TestStreams.pipe(driver, events, 0, EVENTS);
      uninterrupted = TestStreams.lastSnapshot(driver, settings);
    }

    // The 13th batch completes at event 156: step 13 is quiet, so it was handed to the trainer
    // thread, and the stores are read before anything waited for it.
    int cut = 13 * 12;
    assertThat(quiet(13)).isTrue();
    TestStreams.LearnerStores stopped;
    try (TopologyTestDriver driver = TestStreams.driver(settings, dir.resolve("before"))) {
      TestStreams.pipe(driver, events, 0, cut);
      stopped = TestStreams.LearnerStores.of(driver);
    }
    // the checkpoint of step 10 and the 36 inputs since, the running step's batch among them
    assertThat(stopped.journaledRecords()).isEqualTo(cut - 120);

    try (TopologyTestDriver driver = TestStreams.driver(settings, dir.resolve("after"))) {
      stopped.restoreInto(driver);
      TestStreams.pipe(driver, events, cut, EVENTS);
      Snapshot resumed = TestStreams.lastSnapshot(driver, settings);

      TestStreams.assertSameModel(resumed, uninterrupted);
    }
  }

  @Test
  void shouldMeterTheLastBackgroundStepOnceInputIsIdle(@TempDir Path dir) {
    MeterRegistry meters = new SimpleMeterRegistry();
    StreamSettings settings = background(meters);
    try (TopologyTestDriver driver = TestStreams.driver(settings, dir)) {
      TestStreams.pipe(driver, TestStreams.events(13 * 12), 0, 13 * 12);
      // step 13 is quiet: it trained on the trainer thread and no further batch collected it
      assertThat(meters.get("mtl.train.steps").counter().count()).isEqualTo(12);

      driver.advanceWallClockTime(LearnerProcessor.SETTLE_EVERY);

      assertThat(meters.get("mtl.train.steps").counter().count()).isEqualTo(13);
      assertThat(meters.get("mtl.train.background.steps").counter().count())
          .isEqualTo(countQuiet(13));
    }
  }

  @Test
  void shouldTrainTheStepsOfTwoStreamTasksOnOneSharedTrainerThread(@TempDir Path dir) {
    int holdersBefore = SharedTrainer.holders();
    MeterRegistry metersA = new SimpleMeterRegistry();
    MeterRegistry metersB = new SimpleMeterRegistry();
    try (TopologyTestDriver a = TestStreams.driver(background(metersA), dir.resolve("a"));
        TopologyTestDriver b = TestStreams.driver(background(metersB), dir.resolve("b"))) {
      List<byte[]> events = TestStreams.events(12 * 12);
      TestStreams.pipe(a, events, 0, events.size());
      TestStreams.pipe(b, events, 0, events.size());

      assertThat(metersA.get("mtl.train.background.steps").counter().count()).isPositive();
      assertThat(metersB.get("mtl.train.background.steps").counter().count()).isPositive();
      // One thread, not one per task: a second one would keep a second team of OpenMP workers.
      assertThat(
              Thread.getAllStackTraces().keySet().stream()
                  .map(Thread::getName)
                  .filter(n -> n.startsWith(LearnerTopology.TRAINER_THREAD_PREFIX)))
          .containsExactly(SharedTrainer.THREAD_NAME);
      assertThat(SharedTrainer.holders()).isEqualTo(holdersBefore + 2);
    }
    assertThat(SharedTrainer.holders()).isEqualTo(holdersBefore);
  }

  private static StreamSettings background(MeterRegistry meters) {
    return TestStreams.settings(12, 4, 7, 10, meters).withBackgroundSteps(true);
  }

  private static boolean quiet(long step) {
    return step % 4 != 0 && step % 7 != 0 && step % 10 != 0;
  }

  private static double countQuiet(int steps) {
    int n = 0;
    for (int s = 1; s <= steps; s++) {
      n += quiet(s) ? 1 : 0;
    }
    return n;
  }

  /** Everything in the order it was written, and the step meters. */
  private record Outputs(
      List<KeyValue<Object, byte[]>> checkpoints,
      List<TestRecord<String, byte[]>> snapshots,
      List<TrainingReport> reports,
      double steps,
      double backgroundSteps) {}

  private static Outputs run(StreamSettings settings, Path dir) {
    try (TopologyTestDriver driver = TestStreams.driver(settings, dir)) {
      TestStreams.pipe(driver, TestStreams.events(EVENTS), 0, EVENTS);
      driver.advanceWallClockTime(Duration.ofSeconds(1));
      return new Outputs(
          TestStreams.entries(driver.getKeyValueStore(LearnerProcessor.CHECKPOINTS)),
          LearnerTopologyTest.output(driver, settings.snapshotsTopic()),
          LearnerTopologyTest.output(driver, settings.metricsTopic()).stream()
              .map(r -> TrainingReportCodec.decode(r.value()))
              .toList(),
          settings.meters().get("mtl.train.steps").counter().count(),
          settings.meters().get("mtl.train.background.steps").counter().count());
    }
  }

  /** A report without its wall-clock fields (rates and time stamp). */
  private static TrainingReport timeless(TrainingReport r) {
    return new TrainingReport(
        r.model(),
        r.step(),
        r.events(),
        r.weights(),
        r.losses(),
        r.gradNorms(),
        r.inverseRates(),
        r.references(),
        r.targets(),
        r.gradLoss(),
        0,
        0,
        r.rejected(),
        0,
        r.prequential(),
        r.snapshots());
  }
}
