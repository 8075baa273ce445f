package io.mtlstream.app;

import io.mtlstream.bench.pipeline.InProcessSteps;
import io.mtlstream.bench.pipeline.LearnerRun;
import io.mtlstream.bench.pipeline.PipelineRig;
import io.mtlstream.bench.pipeline.PipelineThroughput;
import io.mtlstream.bench.pipeline.PipelineWorkload;
import io.mtlstream.bench.pipeline.ThreadCpu;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mtlstream bench pipeline}: end-to-end events/s through the in-process broker against the
 * in-process step, side by side in one run, with a breakdown of the stream thread's time.
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description =
        "Pre-loads a backlog into an in-process broker, trains it with the learner (from an empty"
            + " state, per processing guarantee) and times the first to the last step; then times"
            + " the training step alone on the same model, batch, balancer and threads. Prints"
            + " both rates, their ratio and where the stream thread spent its time.")
final class BenchPipelineCommand implements Callable<Integer> {

  @Mixin BenchRuns run = new BenchRuns();

  @Option(names = "--events", defaultValue = "200000", description = "backlog to pre-load")
  long events;

  @Option(
      names = "--guarantee",
      split = ",",
      defaultValue = "exactly_once_v2",
      description = "processing guarantees to run, e.g. exactly_once_v2,at_least_once")
  List<String> guarantees;

  @Option(
      names = "--warmup-fraction",
      defaultValue = "0.2",
      description = "share of the backlog trained before the window opens (JIT, rebalances)")
  double warmupFraction;

  @Option(names = "--rounds", defaultValue = "10", description = "in-process timing rounds")
  int rounds;

  @Option(names = "--burst", defaultValue = "20", description = "in-process steps per round")
  int burst;

  @Option(names = "--timeout-seconds", defaultValue = "900", description = "per learner run")
  long timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    run.applyThreads();
    PipelineWorkload workload = run.workload();
    int b = run.batch(workload);
    Map<String, String> s = run.settings(workload);
    try (PipelineRig rig = new PipelineRig(workload, s, Map.of())) {
      System.out.printf(
          Locale.ROOT,
          "broker    %s (in-process KRaft)%nmodel     %s, batch %d, balancer %s, threads %s%n",
          rig.bootstrapServers(),
          workload,
          b,
          run.balancer,
          System.getProperty("ai.djl.pytorch.num_threads"));
      PipelineThroughput.Result r =
          PipelineThroughput.run(
              rig,
              new PipelineThroughput.Options(
                  events,
                  guarantees,
                  Duration.ofSeconds(timeoutSeconds),
                  Duration.ofSeconds(30),
                  30,
                  rounds,
                  burst,
                  warmupFraction));
      print(r);
    }
    return 0;
  }

  private static void print(PipelineThroughput.Result r) {
    System.out.printf(
        Locale.ROOT,
        "preload   %d events in %.1f s (%.0f ev/s)%n%n",
        r.preloaded(),
        r.preloadSeconds(),
        r.preloaded() / r.preloadSeconds());
    System.out.printf(
        Locale.ROOT,
        "%-16s %9s %9s %9s %10s %8s %8s %9s %9s %9s%n",
        "end-to-end",
        "startup s",
        "window s",
        "events",
        "events/s",
        "ms/step",
        "in-step",
        "stream T",
        "proc CPU",
        "non-Java");
    for (LearnerRun run : r.runs()) {
      System.out.printf(
          Locale.ROOT,
          "%-16s %9.1f %9.1f %9d %10.0f %8.2f %7.1f%% %8.1f%% %8.1f%% %8.1f%%%n",
          run.guarantee(),
          run.startupSeconds(),
          run.seconds(),
          run.events(),
          run.eventsPerSecond(),
          run.msPerStep(),
          100 * run.stepFraction(),
          100 * run.streamThreadCpuSeconds() / run.seconds(),
          100 * run.processCpuSeconds() / run.seconds(),
          100 * (run.processCpuSeconds() - run.javaThreadCpuSeconds()) / run.seconds());
    }
    inProcess("in-process before", r.inProcessBefore());
    inProcess("in-process after", r.inProcessAfter());
    System.out.println();
    for (LearnerRun run : r.runs()) {
      System.out.printf(
          Locale.ROOT,
          "ratio     %s: end-to-end / in-process (mean of before, after) = %.3f (step time in the pipeline %.2f ms vs"
              + " %.2f ms alone)%n",
          run.guarantee(),
          r.ratio(run),
          run.msPerStep(),
          (r.inProcessBefore().medianMsPerStep() + r.inProcessAfter().medianMsPerStep()) / 2);
    }
    for (LearnerRun run : r.runs()) {
      printBreakdown(run);
    }
    System.out.println();
    System.out.println(
        "columns: in-step = step timer / window; stream T = CPU of all stream threads / window;"
            + " proc CPU = process CPU / window (200% = 2 cores); non-Java = process CPU not in"
            + " Java threads (PyTorch intra-op threads, GC, JIT)");
  }

  private static String thread(String key) {
    return key.substring(0, key.indexOf(':'));
  }

  private static void inProcess(String label, InProcessSteps.Result p) {
    System.out.printf(
        Locale.ROOT,
        "%-17s%9s %9s %9d %10.0f %8.2f  (median round; mean %.2f ms/step over %d steps)%n",
        label,
        "",
        "",
        p.steps() * p.batch(),
        p.eventsPerSecond(),
        p.medianMsPerStep(),
        p.meanMsPerStep(),
        p.steps());
  }

  private static void printBreakdown(LearnerRun run) {
    long total = run.stackSamples().values().stream().mapToLong(Long::longValue).sum();
    System.out.printf(
        Locale.ROOT,
        "%nstream threads, %s: %d stack samples (every 5 ms per thread), %% of each thread's%n",
        run.guarantee(),
        total);
    Map<String, Long> perThread = new java.util.TreeMap<>();
    run.stackSamples()
        .forEach((k, v) -> perThread.merge(k.substring(0, k.indexOf(':')), v, Long::sum));
    run.stackSamples().entrySet().stream()
        .filter(e -> 100.0 * e.getValue() / perThread.get(thread(e.getKey())) >= 0.5)
        .sorted(
            java.util.Comparator.comparing((Map.Entry<String, Long> e) -> thread(e.getKey()))
                .thenComparing(Map.Entry.<String, Long>comparingByValue().reversed()))
        .forEach(
            e ->
                System.out.printf(
                    Locale.ROOT,
                    "  %-56s %6.1f%%%n",
                    e.getKey(),
                    100.0 * e.getValue() / perThread.get(thread(e.getKey()))));
    System.out.printf(
        Locale.ROOT, "busiest Java threads, %s (CPU s, %% of window):%n", run.guarantee());
    for (ThreadCpu.Share share : run.topThreads()) {
      System.out.printf(
          Locale.ROOT,
          "  %-70.70s %7.2f %6.1f%%%n",
          share.thread(),
          share.cpuSeconds(),
          100 * share.cpuSeconds() / run.seconds());
    }
  }
}
