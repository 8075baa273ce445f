package io.mtlstream.app;

import io.mtlstream.bench.pipeline.PipelineRig;
import io.mtlstream.bench.pipeline.PipelineWorkload;
import io.mtlstream.bench.pipeline.SoakRun;
import io.mtlstream.bench.pipeline.SoakSample;
import io.mtlstream.bench.pipeline.SoakSummary;
import io.mtlstream.runtime.config.MtlConfig;
import io.mtlstream.runtime.config.MtlKeys;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mtlstream bench soak}: memory and step time of the whole pipeline over a long run. */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description =
        "Runs broker + paced generator + learner in this process for a long time, sampling RSS,"
            + " heap, DJL live arrays, step time and throughput; passes if RSS grows < 5%% and the"
            + " step time stays within ±15%% after the warm-up (first 20%% of the samples).")
final class BenchSoakCommand implements Callable<Integer> {

  @Mixin BenchRuns run = new BenchRuns();

  @Option(names = "--minutes", defaultValue = "30")
  double minutes;

  @Option(names = "--rate", defaultValue = "1000", description = "events per second")
  double rate;

  @Option(names = "--interval-seconds", defaultValue = "10", description = "sample period")
  double intervalSeconds;

  @Option(names = "--csv", description = "write the samples to this CSV file")
  Path csv;

  @Override
  public Integer call() throws Exception {
    run.applyThreads();
    PipelineWorkload workload = run.workload();
    Map<String, String> s = run.settings(workload);
    try (PipelineRig rig = new PipelineRig(workload, s, SoakRun.BROKER_RETENTION)) {
      MtlConfig config = rig.config("soak", Map.of());
      System.out.printf(
          Locale.ROOT,
          "model     %s, batch %d, threads %s; feed %.0f events/s for %.1f min, a sample every"
              + " %.0f s%n",
          run.describe(workload),
          config.getInt(MtlKeys.BATCH_SIZE),
          System.getProperty("ai.djl.pytorch.num_threads"),
          rate,
          minutes,
          intervalSeconds);
      System.out.printf(
          Locale.ROOT,
          "%8s %10s %10s %8s %9s %9s %10s %10s%n",
          "t s",
          "RSS MiB",
          "heap MiB",
          "arrays",
          "steps",
          "step ms",
          "events/s",
          "sent");
      List<SoakSample> samples =
          SoakRun.run(
              rig,
              config,
              rate,
              Duration.ofMillis(Math.round(minutes * 60_000)),
              Duration.ofMillis(Math.round(intervalSeconds * 1000)),
              BenchSoakCommand::printSample);
      if (csv != null) {
        writeCsv(csv, samples);
        System.out.println("csv       " + csv);
      }
      SoakSummary summary = SoakSummary.of(samples);
      System.out.printf(
          Locale.ROOT,
          "%nsummary   %d samples, first %d are warm-up%n"
              + "memory    RSS growth after warm-up %+.2f%% (target < %.0f%%): %s;"
              + " heap %+.1f MiB; live arrays %+.0f%n"
              + "step time last / first post-warm-up interval = %.3f (target within ±%.0f%%): %s%n"
              + "verdict   %s%n",
          summary.samples(),
          summary.warmupSamples(),
          summary.rssGrowthPercent(),
          SoakSummary.RSS_GROWTH_LIMIT_PERCENT,
          summary.memoryPass() ? "pass" : "FAIL",
          summary.heapGrowthBytes() / 1048576.0,
          summary.liveArraysGrowth(),
          summary.stepDrift(),
          SoakSummary.DRIFT_BAND_PERCENT,
          summary.stepTimePass() ? "pass" : "FAIL",
          summary.pass() ? "PASS" : "FAIL");
      return summary.pass() ? 0 : 1;
    }
  }

  private static void printSample(SoakSample s) {
    System.out.printf(
        Locale.ROOT,
        "%8.1f %10.1f %10.1f %8.0f %9d %9.3f %10.0f %10d%n",
        s.seconds(),
        s.rssBytes() / 1048576.0,
        s.heapUsedBytes() / 1048576.0,
        s.liveArrays(),
        s.steps(),
        s.stepMs(),
        s.eventsPerSecond(),
        s.sent());
  }

  private static void writeCsv(Path file, List<SoakSample> samples) throws java.io.IOException {
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
      out.println(SoakSample.CSV_HEADER);
      samples.forEach(s -> out.println(s.csvLine()));
    }
  }
}
