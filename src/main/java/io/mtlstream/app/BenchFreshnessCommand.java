package io.mtlstream.app;

import io.mtlstream.bench.pipeline.FreshnessCalculator;
import io.mtlstream.bench.pipeline.Percentiles;
import io.mtlstream.bench.pipeline.PipelineRig;
import io.mtlstream.bench.pipeline.PipelineWorkload;
import io.mtlstream.bench.pipeline.SnapshotFreshness;
import io.mtlstream.runtime.config.MtlConfig;
import io.mtlstream.runtime.config.MtlKeys;
import io.mtlstream.runtime.config.Settings;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mtlstream bench freshness}: event appended → first visible snapshot including it. */
@Command(
    name = "freshness",
    mixinStandardHelpOptions = true,
    description =
        "Feeds a learner (in-process broker, empty state) at a steady rate and measures, per"
            + " event, the time from its append to the first snapshot that includes it becoming"
            + " visible to a read_committed consumer; prints p50/p90/p99/max. Snapshot cadence:"
            + " the defaults, or --set mtl.snapshot.every.steps=N / mtl.snapshot.every.ms=M.")
final class BenchFreshnessCommand implements Callable<Integer> {

  @Mixin BenchRuns run = new BenchRuns();

  @Option(names = "--rate", defaultValue = "1000", description = "events per second")
  double rate;

  @Option(names = "--seconds", defaultValue = "60", description = "how long the feed runs")
  long seconds;

  @Option(
      names = "--warmup-seconds",
      description = "events of the feed's first seconds are left out (default: min(10, 20%%))")
  Double warmupSeconds;

  @Override
  public Integer call() throws Exception {
    run.applyThreads();
    PipelineWorkload workload = run.workload();
    Map<String, String> s = run.settings(workload);
    double warmup = warmupSeconds != null ? warmupSeconds : Math.min(10, seconds / 5.0);
    try (PipelineRig rig = new PipelineRig(workload, s, Map.of())) {
      MtlConfig config = rig.config("freshness", Map.of());
      // What the learner will run with: our Streams defaults under the config's overrides.
      Properties streams = Settings.streams(config);
      System.out.printf(
          Locale.ROOT,
          "model     %s, batch %d, balancer %s, threads %s%n"
              + "cadence   snapshot every %s steps / %s ms of event time (0 = off); commit"
              + " interval %s ms; %s%n"
              + "feed      %.0f events/s for %d s; the first %.1f s are warm-up%n",
          run.describe(workload),
          config.getInt(MtlKeys.BATCH_SIZE),
          run.balancer,
          System.getProperty("ai.djl.pytorch.num_threads"),
          config.get(MtlKeys.SNAPSHOT_EVERY),
          config.get(MtlKeys.SNAPSHOT_EVERY_MS),
          streams.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG),
          streams.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG),
          rate,
          seconds,
          warmup);
      SnapshotFreshness.Result r =
          SnapshotFreshness.run(
              rig,
              config,
              new SnapshotFreshness.Options(
                  rate,
                  Duration.ofSeconds(seconds),
                  Duration.ofMillis(Math.round(warmup * 1000)),
                  Duration.ofSeconds(60),
                  Duration.ofSeconds(5)),
              (t, sent, trained, snapshots) ->
                  System.out.printf(
                      Locale.ROOT,
                      "%6.1f s | sent %8d | trained %8d | snapshots seen %d%n",
                      t,
                      sent,
                      trained,
                      snapshots));
      print(r);
      return r.freshness().freshness() == null ? 1 : 0;
    }
  }

  private static void print(SnapshotFreshness.Result r) {
    FreshnessCalculator.Result f = r.freshness();
    System.out.printf(
        Locale.ROOT,
        "%nevents    sent %d, trained %d; after warm-up %d included in a snapshot, %d not"
            + " (appended after the last snapshot), %d warm-up%n"
            + "snapshots %d visible, %d published, %d held back by the quality gate%n",
        r.sent(),
        r.trained(),
        f.included(),
        f.notIncluded(),
        f.warmupExcluded(),
        f.snapshots(),
        r.published(),
        r.heldBack());
    line("freshness", f.freshness());
    line("by ts rule", f.byTimestamp());
    System.out.printf(
        Locale.ROOT,
        "check     timestamp rule (ts ≤ newestEventTimestamp) and trained counts agree on %d of %d"
            + " snapshots; largest difference %d events%n"
            + "learner   its mtl.snapshot.freshness timer (event time → publish, before the"
            + " commit): mean %.0f ms, max %.0f ms%n",
        f.snapshotsAgreeing(),
        f.snapshots(),
        f.maxDisagreement(),
        r.learnerMeanFreshnessMs(),
        r.learnerMaxFreshnessMs());
  }

  private static void line(String label, Percentiles p) {
    if (p == null) {
      System.out.printf(Locale.ROOT, "%-9s no event after the warm-up reached a snapshot%n", label);
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "%-9s p50 %7.3f s | p90 %7.3f s | p99 %7.3f s | max %7.3f s  (%d events)%n",
        label,
        p.at(50) / 1000.0,
        p.at(90) / 1000.0,
        p.at(99) / 1000.0,
        p.max() / 1000.0,
        p.count());
  }
}
