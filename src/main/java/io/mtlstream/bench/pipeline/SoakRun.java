package io.mtlstream.bench.pipeline;

import io.mtlstream.runtime.LearnerApp;
import io.mtlstream.runtime.config.MtlConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * {@code bench soak}: the whole pipeline (broker, paced generator, learner) in this process for a
 * long time, sampling memory, native arrays, step time and throughput at a fixed period. Stateless;
 * drives the rig from the calling thread.
 */
public final class SoakRun {

  /**
   * Broker settings for long runs: event topics keep their newest ~256 MiB per partition, so disk
   * use stays bounded; compacted topics (changelogs, snapshots) are unaffected.
   */
  public static final Map<String, String> BROKER_RETENTION =
      Map.of(
          "log.retention.bytes", Long.toString(256L << 20),
          "log.segment.bytes", Integer.toString(64 << 20),
          "log.retention.check.interval.ms", "30000");

  private SoakRun() {}

  /** Runs for {@code duration}, handing every sample to {@code sink} as it is taken. */
  public static List<SoakSample> run(
      PipelineRig rig,
      MtlConfig config,
      double rate,
      Duration duration,
      Duration interval,
      Consumer<SoakSample> sink)
      throws InterruptedException, TimeoutException {
    List<SoakSample> samples = new ArrayList<>();
    try (LearnerApp app = rig.startLearner(config)) {
      if (!app.awaitRunning(Duration.ofSeconds(60))) {
        throw new TimeoutException("learner not RUNNING within 60 s: " + app.state());
      }
      LearnerProbe probe = new LearnerProbe(app.meters());
      try (PipelineRig.Feed feed = rig.startFeed(rate)) {
        long start = System.nanoTime();
        long next = start;
        long steps = probe.steps();
        double stepSeconds = probe.stepSeconds();
        long trained = probe.trainedEvents();
        long previous = start;
        while (true) {
          next += interval.toNanos();
          if (next - start > duration.toNanos()) {
            break;
          }
          Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
          long now = System.nanoTime();
          long s = probe.steps();
          double ss = probe.stepSeconds();
          long t = probe.trainedEvents();
          SoakSample sample =
              new SoakSample(
                  (now - start) / 1e9,
                  ProcessMemory.residentBytes(),
                  ProcessMemory.heapUsedBytes(),
                  probe.liveArrays(),
                  s,
                  s > steps ? 1000 * (ss - stepSeconds) / (s - steps) : Double.NaN,
                  (t - trained) / ((now - previous) / 1e9),
                  feed.sent());
          samples.add(sample);
          sink.accept(sample);
          steps = s;
          stepSeconds = ss;
          trained = t;
          previous = now;
        }
      }
    }
    return samples;
  }
}
