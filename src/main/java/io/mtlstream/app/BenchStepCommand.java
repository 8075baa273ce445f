package io.mtlstream.app;

import ai.djl.Device;
import io.mtlstream.bench.MatmulPeak;
import io.mtlstream.bench.PyTorchReference;
import io.mtlstream.bench.StepBenchmark;
import io.mtlstream.train.nn.Devices;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mtlstream bench step}: training-step timings, variants side by side in one process. */
@Command(
    name = "step",
    mixinStandardHelpOptions = true,
    description =
        "Times the training step on the reference model (input 64, trunk 256-256,"
            + " 3 tasks, towers 64): equal weights, GradNorm (one backward) and GradNorm with a naive"
            + " per-task backward, interleaved in rounds; prints medians and paired ratios (the median of"
            + " the per-round ratios to equal). With"
            + " python3-torch installed, a plain PyTorch reference of the same model and GradNorm"
            + " runs right after each batch's Java rounds (same batch, threads and rounds).")
final class BenchStepCommand implements Callable<Integer> {

  /** Whether to run the PyTorch reference: when an interpreter imports torch, or never. */
  enum PyTorchMode {
    auto,
    off
  }

  @Option(names = "--batch", split = ",", defaultValue = "256", description = "batch sizes")
  int[] batches;

  @Option(names = "--rounds", defaultValue = "15")
  int rounds;

  @Option(names = "--burst", defaultValue = "20", description = "steps per variant per round")
  int burst;

  @Option(names = "--warmup", defaultValue = "50")
  int warmup;

  @Option(
      names = "--device",
      defaultValue = "cpu",
      description = "cpu, gpu, gpu:N or auto, as mtl.device (default ${DEFAULT-VALUE})")
  String device;

  @Option(
      names = "--pytorch",
      defaultValue = "auto",
      description = "PyTorch reference rows: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
  PyTorchMode pytorch;

  @Option(
      names = "--pytorch-deadline",
      defaultValue = "600",
      description = "seconds before a PyTorch reference run is killed (default ${DEFAULT-VALUE})")
  long pytorchDeadline;

  private static final String ROW = "%-6d %-16s %10.3f %12.0f %10.3f %9.1f %7.1f%%%n";

  @Override
  public Integer call() {
    NativeDefaults.threads(true);
    String threads = System.getProperty("ai.djl.pytorch.num_threads");
    Device selected = Devices.select(device);
    double peak = MatmulPeak.gflops(2048, 7, selected);
    System.out.printf(
        Locale.ROOT,
        "device %s, threads %s, rounds %d × %d steps, medians; fp32 matmul peak (2048²) %.1f"
            + " GFLOP/s%n",
        selected,
        threads,
        rounds,
        burst,
        peak);
    PyTorchReference.Availability torch = null;
    if (pytorch == PyTorchMode.auto) {
      torch = PyTorchReference.locate();
      System.out.println(
          torch.available()
              ? "pytorch reference: torch "
                  + torch.torchVersion()
                  + " ("
                  + torch.interpreter()
                  + "), run after the Java rounds of each batch with the same batch and threads"
              : "pytorch reference skipped: " + torch.reason());
    }
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
          StepBenchmark.Config.reference()
              .withBatch(batch)
              .withRounds(warmup, rounds, burst)
              .withDevice(device);
      Map<String, StepBenchmark.Timing> t = StepBenchmark.run(config, StepBenchmark.STANDARD);
      for (StepBenchmark.Timing timing : t.values()) {
        System.out.printf(
            Locale.ROOT,
            ROW,
            batch,
            timing.label(),
            timing.msPerStep(),
            timing.eventsPerSecond(),
            timing.ratio(),
            timing.gflops(),
            100 * timing.gflops() / peak);
      }
      if (torch != null && torch.available()) {
        reference(torch, config, Integer.parseInt(threads.trim()), t, peak);
      }
    }
    return 0;
  }

  /** The PyTorch rows of one batch, then Java ÷ PyTorch ms/step per variant. */
  private void reference(
      PyTorchReference.Availability torch,
      StepBenchmark.Config config,
      int threads,
      Map<String, StepBenchmark.Timing> java,
      double peak) {
    PyTorchReference.Outcome outcome =
        new PyTorchReference(torch.interpreter())
            .run(
                new PyTorchReference.Settings(
                    config.batch(),
                    threads,
                    warmup,
                    rounds,
                    burst,
                    Duration.ofSeconds(pytorchDeadline)));
    if (!(outcome instanceof PyTorchReference.Measured measured)) {
      System.out.printf(Locale.ROOT, "%-6d pytorch reference %s%n", config.batch(), outcome);
      return;
    }
    double flops = PyTorchReference.stepFlops(config);
    double equal = java.get("equal").msPerStep();
    StringBuilder ratios = new StringBuilder();
    for (PyTorchReference.Timing timing : measured.timings().values()) {
      double gflops = flops / (timing.msPerStep() / 1000) / 1e9;
      System.out.printf(
          Locale.ROOT,
          ROW,
          config.batch(),
          "pytorch-" + timing.variant(),
          timing.msPerStep(),
          timing.eventsPerSecond(),
          timing.msPerStep() / equal,
          gflops,
          100 * gflops / peak);
      StepBenchmark.Timing same = java.get(timing.variant());
      if (same != null) {
        ratios.append(
            String.format(
                Locale.ROOT, ", %s %.3f", timing.variant(), same.msPerStep() / timing.msPerStep()));
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%-6d java ÷ pytorch ms/step:%s (< 1: Java faster)%n",
        config.batch(),
        ratios.length() == 0 ? " —" : ratios.substring(1));
  }
}
