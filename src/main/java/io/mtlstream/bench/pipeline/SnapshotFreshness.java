package io.mtlstream.bench.pipeline;

import io.micrometer.core.instrument.Timer;
import io.mtlstream.runtime.LearnerApp;
import io.mtlstream.runtime.config.MtlConfig;
import io.mtlstream.runtime.config.MtlKeys;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code bench freshness}: how long an appended event takes to reach a published snapshot a
 * read_committed consumer can see, with a learner from an empty state fed at a steady rate. See
 * {@link FreshnessCalculator} for the definitions. Stateless; drives the rig from the calling
 * thread.
 */
public final class SnapshotFreshness {

  /** Called about every few seconds while the feed runs. */
  public interface Progress {
    void update(double seconds, long sent, long trained, int snapshotsSeen);
  }

  /**
   * @param rate events per second of the feed
   * @param duration how long the feed runs
   * @param warmup events appended in this first part of the feed are left out of the percentiles
   * @param drain after the feed stops, how long to wait for the learner to catch up
   */
  public record Options(
      double rate, Duration duration, Duration warmup, Duration drain, Duration progressEvery) {}

  /**
   * The calculation and the learner's own view: snapshots published and held back by its quality
   * gate, and its {@code mtl.snapshot.freshness} timer (event time to publish, before the commit).
   */
  public record Result(
      FreshnessCalculator.Result freshness,
      long sent,
      long trained,
      long published,
      long heldBack,
      double learnerMeanFreshnessMs,
      double learnerMaxFreshnessMs) {}

  private SnapshotFreshness() {}

  public static Result run(PipelineRig rig, MtlConfig config, Options options, Progress progress)
      throws InterruptedException, TimeoutException {
    if (config.getInt(MtlKeys.TOPIC_PARTITIONS) != 1) {
      throw new IllegalArgumentException(
          "freshness needs one partition per task topic (mtl.topic.partitions=1)");
    }
    try (LearnerApp app = rig.startLearner(config);
        SnapshotWatcher watcher =
            new SnapshotWatcher(rig.bootstrapServers(), config.get(MtlKeys.TOPIC_SNAPSHOTS))) {
      if (!app.awaitRunning(Duration.ofSeconds(60))) {
        throw new TimeoutException("learner not RUNNING within 60 s: " + app.state());
      }
      LearnerProbe probe = new LearnerProbe(app.meters());
      long feedStart = System.currentTimeMillis();
      long sent;
      try (PipelineRig.Feed feed = rig.startFeed(options.rate())) {
        long start = System.nanoTime();
        long end = start + options.duration().toNanos();
        while (System.nanoTime() < end) {
          Thread.sleep(Math.min(options.progressEvery().toMillis(), remainingMillis(end)));
          progress.update(
              (System.nanoTime() - start) / 1e9,
              feed.sent(),
              probe.trainedEvents(),
              watcher.seen().size());
        }
        feed.close();
        sent = feed.sent();
      }
      drain(
          probe,
          watcher,
          sent / config.getInt(MtlKeys.BATCH_SIZE) * config.getInt(MtlKeys.BATCH_SIZE),
          options.drain());
      Map<String, long[]> appended = appended(rig, config);
      FreshnessCalculator.Result r =
          FreshnessCalculator.compute(
              appended, watcher.seen(), feedStart + options.warmup().toMillis());
      Timer t = app.meters().find("mtl.snapshot.freshness").timer();
      return new Result(
          r,
          sent,
          probe.trainedEvents(),
          probe.snapshotsPublished(),
          probe.snapshotsHeld(),
          t == null ? Double.NaN : t.mean(TimeUnit.MILLISECONDS),
          t == null ? Double.NaN : t.max(TimeUnit.MILLISECONDS));
    }
  }

  /** Waits until the learner trained every full batch and every published snapshot is visible. */
  private static void drain(
      LearnerProbe probe, SnapshotWatcher watcher, long trainable, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline
        && (probe.trainedEvents() < trainable
            || watcher.seen().size() < probe.snapshotsPublished())) {
      Thread.sleep(50);
    }
  }

  private static Map<String, long[]> appended(PipelineRig rig, MtlConfig config) {
    String prefix = config.get(MtlKeys.TOPIC_PREFIX);
    Map<String, String> taskByTopic = new LinkedHashMap<>();
    rig.workload().taskNames().forEach(t -> taskByTopic.put(prefix + t, t));
    Map<String, long[]> byTopic =
        TopicTimestamps.read(
            rig.bootstrapServers(), taskByTopic.keySet().stream().toList(), Duration.ofSeconds(60));
    Map<String, long[]> byTask = new LinkedHashMap<>();
    byTopic.forEach((topic, ts) -> byTask.put(taskByTopic.get(topic), ts));
    return byTask;
  }

  private static long remainingMillis(long endNanos) {
    return Math.max(1, (endNanos - System.nanoTime()) / 1_000_000);
  }
}
