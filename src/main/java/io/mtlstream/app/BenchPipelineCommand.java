package io.mtlstream.app;

import ai.djl.engine.Engine;
import io.mtlstream.bench.pipeline.CpuBudget;
import io.mtlstream.bench.pipeline.InProcessSteps;
import io.mtlstream.bench.pipeline.LearnerRun;
import io.mtlstream.bench.pipeline.PipelineRig;
import io.mtlstream.bench.pipeline.PipelineThroughput;
import io.mtlstream.bench.pipeline.PipelineWorkload;
import io.mtlstream.bench.pipeline.ThreadCpu;
import io.mtlstream.train.nn.NativeThread;
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
        "Feeds events into an in-process broker while the learner trains them (from an empty"
            + " state, per processing guarantee; or from a pre-loaded backlog), and times the"
            + " trained events in a window after warm-up; then times the training step alone on"
            + " the same model, batch, balancer and threads. Prints both rates, their ratio and"
            + " where the stream thread spent its time.")
final class BenchPipelineCommand implements Callable<Integer> {

  @Mixin BenchRuns run = new BenchRuns();

  @Option(
      names = "--events",
      defaultValue = "200000",
      description = "events per run (live feed) or backlog to pre-load")
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
      description =
          "share of the events trained before the window opens (start-up, rebalances); the live"
              + " window then lasts the rest of --events")
  double warmupFraction;

  @Option(names = "--rounds", defaultValue = "10", description = "in-process timing rounds")
  int rounds;

  @Option(names = "--burst", defaultValue = "20", description = "in-process steps per round")
  int burst;

  @Option(names = "--timeout-seconds", defaultValue = "900", description = "per learner run")
  long timeoutSeconds;

  /** How events reach the broker during a run. */
  enum Feed {
    LIVE,
    BACKLOG
  }

  @Option(
      names = "--feed",
      defaultValue = "LIVE",
      description =
          "LIVE: send events while the learner runs, at most --max-ahead ahead of training (ingest,"
              + " decode and training all inside the window); BACKLOG: pre-load them all first")
  Feed feed;

  @Option(
      names = "--jit-wait-seconds",
      defaultValue = "240",
      description =
          "live feed: the window also waits (up to this long) for the JIT compilers to settle,"
              + " i.e. to compile under 10%% of the last 10 s; 0 = do not wait")
  long jitWaitSeconds;

  @Option(
      names = "--max-ahead",
      defaultValue = "50000",
      description = "live feed: most events sent but not yet trained")
  long maxAhead;

  @Option(
      names = "--stack-sample-ms",
      defaultValue = "50",
      description =
          "how often the stream thread's stack is sampled for the breakdown; 0 = not at all. On"
              + " JDK 17 each sample is a global safepoint of ~0.6 ms: every 5 ms, that cost the"
              + " toy pipeline 13%% of its throughput")
  long stackSampleMillis;

  @Override
  public Integer call() throws Exception {
    run.applyThreads();
    // The learner trains on its trainer thread; main's own workers would throttle them.
    Engine.getEngine("PyTorch");
    NativeThread.oneThreadHere();
    NativeThread.prepare();
    PipelineWorkload workload = run.workload();
    int b = run.batch(workload);
    Map<String, String> s = run.settings(workload);
    System.out.printf(
        Locale.ROOT,
        "broker    in-process KRaft on 127.0.0.1%s%nmodel     %s, batch %d, balancer %s, threads"
            + " %s%n",
        feed == Feed.LIVE ? ", a fresh one per run" : "",
        run.describe(workload),
        b,
        run.balancer,
        System.getProperty("ai.djl.pytorch.num_threads"));
    if (feed == Feed.LIVE) {
      System.out.printf(
          Locale.ROOT,
          "feed      live, replayed from %d pre-encoded events, at most %d ahead of training;"
              + " window of %d events after %d and the JIT settling (at most %d s)%n",
          PipelineRig.LIVE_POOL,
          maxAhead,
          events - (long) (events * warmupFraction),
          (long) (events * warmupFraction),
          jitWaitSeconds);
    }
    PipelineThroughput.Result r =
        PipelineThroughput.run(
            () -> new PipelineRig(workload, s, Map.of()),
            new PipelineThroughput.Options(
                events,
                guarantees,
                Duration.ofSeconds(timeoutSeconds),
                Duration.ofSeconds(30),
                30,
                rounds,
                burst,
                warmupFraction,
                feed == Feed.LIVE ? maxAhead : 0,
                Duration.ofSeconds(jitWaitSeconds),
                Duration.ofMillis(stackSampleMillis)));
    print(r);
    return 0;
  }

  private void print(PipelineThroughput.Result r) {
    if (r.preloaded() > 0) {
      System.out.printf(
          Locale.ROOT,
          "preload   %d events in %.1f s (%.0f ev/s)%n",
          r.preloaded(),
          r.preloadSeconds(),
          r.preloaded() / r.preloadSeconds());
    }
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "%-16s %9s %9s %9s %10s %8s %8s %9s %9s %9s %6s%n",
        "end-to-end",
        "startup s",
        "window s",
        "events",
        "events/s",
        "ms/step",
        "in-step",
        "stream T",
        "proc CPU",
        "non-Java",
        "JIT");
    for (LearnerRun run : r.runs()) {
      System.out.printf(
          Locale.ROOT,
          "%-16s %9.1f %9.1f %9d %10.0f %8.2f %7.1f%% %8.1f%% %8.1f%% %8.1f%% %5.1f%%%n",
          run.guarantee(),
          run.startupSeconds(),
          run.seconds(),
          run.events(),
          run.eventsPerSecond(),
          run.msPerStep(),
          100 * run.stepFraction(),
          100 * run.streamThreadCpuSeconds() / run.seconds(),
          100 * run.processCpuSeconds() / run.seconds(),
          100 * (run.processCpuSeconds() - run.javaThreadCpuSeconds()) / run.seconds(),
          100 * run.jitSeconds() / run.seconds());
    }
    inProcess("in-process before", r.inProcessBefore());
    inProcess("in-process after", r.inProcessAfter());
    System.out.println();
    for (LearnerRun run : r.runs()) {
      System.out.printf(
          Locale.ROOT,
          "ratio     %s: end-to-end / in-process (the faster of before, after) = %.3f (step time in"
              + " the pipeline %.2f ms vs %.2f ms alone)%n",
          run.guarantee(),
          r.ratio(run),
          run.msPerStep(),
          r.inProcessMsPerStep());
    }
    for (LearnerRun run : r.runs()) {
      printCpu(run, r.inProcessEventsPerSecond());
    }
    for (LearnerRun run : r.runs()) {
      printBreakdown(run);
    }
    System.out.println();
    System.out.println(
        "columns: in-step = step timer / window; stream T = CPU of all stream threads / window;"
            + " proc CPU = process CPU / window (200% = 2 cores); non-Java = process CPU not in"
            + " Java threads (PyTorch intra-op threads, GC, JIT); JIT = compile time / window");
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

  /**
   * CPU per trained event by part of the rig, and the bounds the cores put on throughput: with
   * everything on this machine, and with only the learner's own threads on it.
   */
  private static void printCpu(LearnerRun run, double inProcessEventsPerSecond) {
    CpuBudget cpu = run.cpu();
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf(
        Locale.ROOT, "%ncpu per trained event, %s (µs; %d cores):%n", run.guarantee(), cores);
    cpu.seconds()
        .forEach(
            (part, seconds) ->
                System.out.printf(
                    Locale.ROOT,
                    "  %-62s %7.1f%n",
                    part.label(),
                    CpuBudget.microsPerEvent(seconds, run.events())));
    cpuBound("all of it: the cores allow", cpu.total(), run, cores, inProcessEventsPerSecond);
    cpuBound(
        "the learner's own threads (broker, feed elsewhere)",
        cpu.learners(),
        run,
        cores,
        inProcessEventsPerSecond);
  }

  private static void cpuBound(
      String label, double seconds, LearnerRun run, int cores, double inProcessEventsPerSecond) {
    double ceiling = CpuBudget.ceiling(seconds, run.events(), cores);
    System.out.printf(
        Locale.ROOT,
        "  %-52s %7.1f  -> at most %.0f events/s, ratio <= %.3f%n",
        label,
        CpuBudget.microsPerEvent(seconds, run.events()),
        ceiling,
        ceiling / inProcessEventsPerSecond);
  }

  private void printBreakdown(LearnerRun run) {
    long total = run.stackSamples().values().stream().mapToLong(Long::longValue).sum();
    if (total == 0) {
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "%nstream threads, %s: %d stack samples (every %d ms per thread), %% of each thread's%n",
        run.guarantee(),
        total,
        stackSampleMillis);
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
    System.out.printf(Locale.ROOT, "kafka clients, %s (growth in the window):%n", run.guarantee());
    run.clientTimes()
        .forEach(
            (name, v) -> {
              String shortName = name.substring("kafka.".length());
              if (name.endsWith(".time.ns.total")) {
                System.out.printf(
                    Locale.ROOT,
                    "  %-48s %7.2f s %6.1f%% of window%n",
                    shortName,
                    v / 1e9,
                    100 * v / 1e9 / run.seconds());
              } else {
                System.out.printf(Locale.ROOT, "  %-48s %9.0f%n", shortName, v);
              }
            });
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
