package io.mtlstream.app;

import io.mtlstream.bench.MatmulPeak;
import io.mtlstream.bench.StepBenchmark;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mtlstream bench}: training-step timings, variants side by side in one process. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Times the training step on the reference model (input 64, trunk 256-256,"
            + " 3 tasks, towers 64): equal weights, GradNorm (one backward) and GradNorm with a naive"
            + " per-task backward, interleaved in rounds; prints medians and ratios.")
final class BenchCommand implements Callable<Integer> {

  @Option(names = "--batch", split = ",", defaultValue = "256", description = "batch sizes")
  int[] batches;

  @Option(names = "--rounds", defaultValue = "15")
  int rounds;

  @Option(names = "--burst", defaultValue = "20", description = "steps per variant per round")
  int burst;

  @Option(names = "--warmup", defaultValue = "50")
  int warmup;

  @Override
  public Integer call() {
    NativeDefaults.threads(true);
    double peak = MatmulPeak.gflops(2048, 7);
    System.out.printf(
        Locale.ROOT,
        "threads %s, rounds %d × %d steps, medians; fp32 matmul peak (2048²) %.1f GFLOP/s%n",
        System.getProperty("ai.djl.pytorch.num_threads"),
        rounds,
        burst,
        peak);
    System.out.printf(
        Locale.ROOT,
        "%-6s %-16s %10s %12s %10s %9s %8s%n",
        "batch",
        "variant",
        "ms/step",
        "events/s",
        "× equal",
        "GFLOP/s",
        "% peak");
    for (int batch : batches) {
      StepBenchmark.Config config =
          StepBenchmark.Config.reference().withBatch(batch).withRounds(warmup, rounds, burst);
      Map<String, StepBenchmark.Timing> t = StepBenchmark.run(config, StepBenchmark.STANDARD);
      double equal = t.get("equal").msPerStep();
      for (StepBenchmark.Timing timing : t.values()) {
        System.out.printf(
            Locale.ROOT,
            "%-6d %-16s %10.3f %12.0f %10.3f %9.1f %7.1f%%%n",
            batch,
            timing.label(),
            timing.msPerStep(),
            timing.eventsPerSecond(),
            timing.msPerStep() / equal,
            timing.gflops(),
            100 * timing.gflops() / peak);
      }
    }
    return 0;
  }
}
