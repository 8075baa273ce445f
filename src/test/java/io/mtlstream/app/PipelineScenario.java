package io.mtlstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mtlstream.generate.EventPublisher;
import io.mtlstream.generate.ToyEventSource;
import io.mtlstream.metrics.TrainingReport;
import io.mtlstream.runtime.LearnerApp;
import io.mtlstream.runtime.config.MtlConfig;
import io.mtlstream.runtime.config.MtlKeys;
import io.mtlstream.snapshot.Snapshot;
import io.mtlstream.snapshot.SnapshotTopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * generate → learn → reports and snapshots, against whatever Kafka {@code bootstrap} points at (the
 * in-process broker, or a container where Docker exists). Asserts GradNorm's weights move toward
 * 1/σ, every valid event is trained, and the latest snapshot verifies.
 */
final class PipelineScenario {

  static final double[] SIGMAS = {1, 100};
  static final int BATCH = 50;
  static final int STEPS = 120;

  private PipelineScenario() {}

  static Map<String, String> config(String bootstrap, Path state, String appId) {
    Map<String, String> s = new HashMap<>();
    s.put("bootstrap.servers", bootstrap);
    s.put("application.id", appId);
    s.put("state.dir", state.toString());
    s.put(MtlKeys.MODEL_INPUTS.key(), "250");
    s.put(MtlKeys.MODEL_TRUNK.key(), "100,100,100,100");
    s.put(MtlKeys.TASKS.key(), "task0,task1");
    for (String t : List.of("task0", "task1")) {
      s.put(MtlKeys.task(t, MtlKeys.TASK_TYPE), "regression");
      s.put(MtlKeys.task(t, MtlKeys.TASK_OUTPUTS), "100");
    }
    s.put(MtlKeys.ALPHA.key(), "0.12");
    s.put(MtlKeys.BATCH_SIZE.key(), Integer.toString(BATCH));
    s.put(MtlKeys.REPORT_EVERY.key(), "10");
    s.put(MtlKeys.SNAPSHOT_EVERY.key(), "40");
    s.put(MtlKeys.CHECKPOINT_EVERY.key(), "25");
    return s;
  }

  static void run(String bootstrap, Path state, String appId) throws InterruptedException {
    run(bootstrap, state, appId, Map.of());
  }

  /** As {@link #run(String, Path, String)}, with {@code extra} settings over the base config. */
  static void run(String bootstrap, Path state, String appId, Map<String, String> extra)
      throws InterruptedException {
    Map<String, String> settings = config(bootstrap, state, appId);
    settings.putAll(extra);
    long events = (long) STEPS * BATCH;
    TrainingReport report = trainAndFollow(bootstrap, settings, events, STEPS);
    assertThat(report.events().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(events);
    assertThat(report.weights().get("task0")).isGreaterThan(1.2);
    assertThat(report.weights().get("task1")).isLessThan(0.8);
    try (SnapshotTopicReader reader =
        new SnapshotTopicReader(bootstrap, SnapshotTopicReader.DEFAULT_TOPIC, Map.of())) {
      Optional<Snapshot> snapshot = reader.readLatest("default", Duration.ofSeconds(30));
      assertThat(snapshot).isPresent();
      assertThat(snapshot.get().manifest().step()).isEqualTo(120);
      assertThat(snapshot.get().manifest().taskWeights().get("task0")).isGreaterThan(1.2);
      assertThat(snapshot.get().sha256Hex()).hasSize(64);
    }
  }

  /**
   * Starts a learner with {@code settings}, publishes {@code events} toy events to its topics and
   * returns its report of {@code step}, polled for with a deadline.
   */
  static TrainingReport trainAndFollow(
      String bootstrap, Map<String, String> settings, long events, int step)
      throws InterruptedException {
    MtlConfig config = MtlConfig.load(null, Map.of(), settings);
    try (LearnerApp app = new LearnerApp(config, new SimpleMeterRegistry()).start();
        ReportFollower reports = new ReportFollower(bootstrap, config.get(MtlKeys.TOPIC_METRICS));
        ToyEventSource source = ToyEventSource.builder().setSigmas(SIGMAS).build();
        EventPublisher publisher =
            EventPublisher.builder()
                .setProducer(EventPublisher.newProducer(bootstrap, Map.of()))
                .optTopicPrefix(config.get(MtlKeys.TOPIC_PREFIX))
                .setSource(source)
                .build()) {
      assertThat(publisher.run(events)).isEqualTo(events);
      AtomicReference<TrainingReport> last = new AtomicReference<>();
      long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
      while (System.nanoTime() < deadline && (last.get() == null || last.get().step() < step)) {
        reports.poll(Duration.ofMillis(500), last::set);
      }
      assertThat(last.get()).as("a report of step %d within the deadline", step).isNotNull();
      assertThat(last.get().step()).isEqualTo(step);
      return last.get();
    }
  }
}
