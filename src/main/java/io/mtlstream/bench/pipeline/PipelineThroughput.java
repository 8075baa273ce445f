package io.mtlstream.bench.pipeline;

import io.mtlstream.runtime.LearnerApp;
import io.mtlstream.runtime.config.MtlConfig;
import io.mtlstream.runtime.config.MtlKeys;
import io.mtlstream.runtime.config.Settings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code bench pipeline}: end-to-end training throughput through the real broker against the
 * in-process step throughput of the same model, batch, balancer and native thread count, in one
 * process. Pre-loads a backlog, then for each processing guarantee runs a learner from an empty
 * state (its own application id) over the whole backlog and measures trained events per second from
 * its first step to its last; then times {@link InProcessSteps} on the same settings. Stateless;
 * drives the rig from the calling thread.
 */
public final class PipelineThroughput {

  /** Poll period of the learner's meters: the window's edges are known to within this. */
  private static final long POLL_MILLIS = 10;

  /**
   * @param events events to pre-load
   * @param guarantees processing guarantees to run, one learner each, in order
   * @param runTimeout per learner run, start-up included
   * @param stall a run ends early when no event was trained for this long
   * @param warmupFraction the window opens once this share of the events is trained: start-up, JIT
   *     compilation of the Kafka and Streams code and the first rebalances are not throughput
   * @param maxAhead with a live feed, the most events sent but not yet trained; 0 pre-loads all
   *     events as a backlog instead
   * @param jitWait with a live feed, the longest the window waits for the JIT compilers to settle
   *     ({@link JitWarmup}); zero opens it after the warm-up events alone
   * @param stackSamplePeriod how often the {@link StackSampler} takes the stream threads' stacks in
   *     the window; zero samples none. Each sample stops the sampled thread (and, on JDK 17, every
   *     Java thread) at a safepoint, so a short period slows the pipeline it measures
   */
  public record Options(
      long events,
      List<String> guarantees,
      Duration runTimeout,
      Duration stall,
      int warmupSteps,
      int rounds,
      int burst,
      double warmupFraction,
      long maxAhead,
      Duration jitWait,
      Duration stackSamplePeriod) {
    public Options {
      guarantees = List.copyOf(guarantees);
      if (!(warmupFraction >= 0 && warmupFraction < 1)) {
        throw new IllegalArgumentException("warm-up fraction must be in [0, 1)");
      }
      if (maxAhead < 0) {
        throw new IllegalArgumentException("max-ahead must be >= 0 (0 = pre-loaded backlog)");
      }
      if (stackSamplePeriod.isNegative()) {
        throw new IllegalArgumentException("stack sample period must be >= 0 (0 = no samples)");
      }
    }

    boolean live() {
      return maxAhead > 0;
    }
  }

  /** Opens a fresh rig: a live feed gets its own broker per run, so no run inherits a backlog. */
  public interface RigFactory {
    PipelineRig open() throws IOException;
  }

  /**
   * The backlog (0 with a live feed), each guarantee's run and the in-process figure, timed before
   * and after the runs (the machine's load may change in between; the two show by how much).
   */
  public record Result(
      long preloaded,
      double preloadSeconds,
      List<LearnerRun> runs,
      InProcessSteps.Result inProcessBefore,
      InProcessSteps.Result inProcessAfter) {
    public Result {
      runs = List.copyOf(runs);
    }

    /**
     * In-process events per second: the faster of the before and after figures. The first is often
     * taken while the freshly started broker still compiles on the other core; a mean would flatter
     * the ratio.
     */
    public double inProcessEventsPerSecond() {
      return Math.max(inProcessBefore.eventsPerSecond(), inProcessAfter.eventsPerSecond());
    }

    /** Median step time of the faster in-process figure. */
    public double inProcessMsPerStep() {
      return Math.min(inProcessBefore.medianMsPerStep(), inProcessAfter.medianMsPerStep());
    }

    /** End-to-end over in-process events per second, for a run. */
    public double ratio(LearnerRun run) {
      return run.eventsPerSecond() / inProcessEventsPerSecond();
    }
  }

  private PipelineThroughput() {}

  public static Result run(RigFactory rigs, Options options)
      throws InterruptedException, TimeoutException, IOException {
    return options.live() ? runLive(rigs, options) : runBacklog(rigs, options);
  }

  private static Result runBacklog(RigFactory rigs, Options options)
      throws InterruptedException, TimeoutException, IOException {
    try (PipelineRig rig = rigs.open()) {
      long t0 = System.nanoTime();
      long preloaded = rig.preload(options.events());
      double preloadSeconds = (System.nanoTime() - t0) / 1e9;
      MtlConfig base = rig.config("in-process", Map.of());
      InProcessSteps.Result before = inProcess(rig, base, options);
      List<LearnerRun> runs = new ArrayList<>();
      for (String guarantee : options.guarantees()) {
        MtlConfig config = runConfig(rig, guarantee);
        long target = preloaded / batch(config) * batch(config);
        long warm = Math.max(1, (long) (target * options.warmupFraction()));
        runs.add(
            measure(
                rig,
                config,
                guarantee,
                new Window(warm, Long.MAX_VALUE, target, Duration.ZERO),
                options,
                probe -> null));
      }
      InProcessSteps.Result after = inProcess(rig, base, options);
      return new Result(preloaded, preloadSeconds, runs, before, after);
    }
  }

  private static Result runLive(RigFactory rigs, Options options)
      throws InterruptedException, TimeoutException, IOException {
    InProcessSteps.Result before = null;
    InProcessSteps.Result after = null;
    List<LearnerRun> runs = new ArrayList<>();
    List<String> guarantees = options.guarantees();
    for (int i = 0; i < guarantees.size(); i++) {
      try (PipelineRig rig = rigs.open()) {
        MtlConfig base = rig.config("in-process", Map.of());
        if (i == 0) {
          before = inProcess(rig, base, options);
        }
        MtlConfig config = runConfig(rig, guarantees.get(i));
        long warm = Math.max(1, (long) (options.events() * options.warmupFraction()));
        // The feed runs until the window has closed, so ingest and decode share the machine to
        // the window's last event.
        runs.add(
            measure(
                rig,
                config,
                guarantees.get(i),
                new Window(warm, options.events() - warm, Long.MAX_VALUE, options.jitWait()),
                options,
                probe ->
                    rig.startLiveFeed(Long.MAX_VALUE, options.maxAhead(), probe::trainedEvents)));
        if (i == guarantees.size() - 1) {
          after = inProcess(rig, base, options);
        }
      }
    }
    return new Result(0, 0, runs, before, after);
  }

  private static MtlConfig runConfig(PipelineRig rig, String guarantee) {
    String runId = "pipeline-" + guarantee.replace('_', '-');
    return rig.config(runId, Map.of("processing.guarantee", guarantee));
  }

  private static int batch(MtlConfig config) {
    return config.getInt(MtlKeys.BATCH_SIZE);
  }

  /** What feeds a run its events while it runs: null for a backlog, a live feed otherwise. */
  interface FeedStarter {
    LiveFeed start(LearnerProbe probe);
  }

  /**
   * On a thread of its own that ends with it: a thread keeps its OpenMP workers for life, and this
   * one's beside the learner's trainer would throttle the trainer's (see NativeThread).
   */
  private static InProcessSteps.Result inProcess(
      PipelineRig rig, MtlConfig config, Options options) {
    AtomicReference<InProcessSteps.Result> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                result.set(inProcessHere(rig, config, options));
              } catch (Throwable e) {
                failure.set(e);
              }
            },
            "mtl-bench-in-process");
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while measuring the in-process step", e);
    }
    if (failure.get() instanceof RuntimeException e) {
      throw e;
    }
    if (failure.get() instanceof Error e) {
      throw e;
    }
    if (failure.get() != null) {
      throw new IllegalStateException("in-process step failed", failure.get());
    }
    return result.get();
  }

  private static InProcessSteps.Result inProcessHere(
      PipelineRig rig, MtlConfig config, Options options) {
    return InProcessSteps.run(
        Settings.learner(config),
        rig.workload(),
        config.getInt(MtlKeys.BATCH_SIZE),
        options.warmupSteps(),
        options.rounds(),
        options.burst());
  }

  /**
   * When a run's window opens and closes.
   *
   * @param warm events trained before it may open
   * @param events events it lasts, counted from its opening
   * @param cap it closes at this many trained events at the latest (a backlog's end)
   * @param jitWait it opens only once the JIT compilers have settled ({@link JitWarmup}), or after
   *     this long from the learner's start
   */
  record Window(long warm, long events, long cap, Duration jitWait) {

    /** Trained events at which a window opened at {@code opened} closes (no overflow). */
    long closeAt(long opened) {
      return events >= cap - opened ? cap : opened + events;
    }
  }

  static final long JIT_SPAN_NANOS = 10_000_000_000L;
  static final double JIT_SETTLED_SHARE = 0.10;

  /** Runs one learner through its window. */
  static LearnerRun measure(
      PipelineRig rig,
      MtlConfig config,
      String guarantee,
      Window window,
      Options options,
      FeedStarter feedStarter)
      throws InterruptedException, TimeoutException {
    long start = System.nanoTime();
    long deadline = start + options.runTimeout().toNanos();
    try (LearnerApp app = rig.startLearner(config);
        LiveFeed feed = feedStarter.start(new LearnerProbe(app.meters()))) {
      LearnerProbe probe = new LearnerProbe(app.meters());
      JitWarmup jit = new JitWarmup(JIT_SPAN_NANOS, JIT_SETTLED_SHARE);
      while (true) {
        long now = System.nanoTime();
        jit.sample(now, jitMillis());
        boolean warmed = probe.steps() > 0 && probe.trainedEvents() >= window.warm();
        if (warmed && (jit.settled() || now - start >= window.jitWait().toNanos())) {
          break;
        }
        pause(
            deadline,
            "warm-up (" + window.warm() + " events) not trained within " + options.runTimeout());
      }
      long first = System.nanoTime();
      long firstEvents = probe.trainedEvents();
      long firstSteps = probe.steps();
      double firstStepSeconds = probe.stepSeconds();
      ThreadCpu cpuFirst = ThreadCpu.now();
      ClientTimes clientFirst = ClientTimes.of(app.clientMetrics());
      long jitFirst = jitMillis();
      String applicationId = config.kafka().get("application.id").toString();
      List<Long> streamThreads = StackSampler.findStreamThreads(applicationId);
      long samplePeriod = options.stackSamplePeriod().toMillis();
      StackSampler sampler =
          streamThreads.isEmpty() || samplePeriod == 0
              ? null
              : StackSampler.start(streamThreads, samplePeriod);
      try {
        long lastChange = first;
        long events = firstEvents;
        long stallNanos = options.stall().toNanos();
        long closeAt = window.closeAt(firstEvents);
        while (events < closeAt && System.nanoTime() - lastChange < stallNanos) {
          pause(deadline, "trained " + events + " of " + closeAt + " events in time");
          long now = probe.trainedEvents();
          if (now != events) {
            events = now;
            lastChange = System.nanoTime();
          }
        }
        ThreadCpu cpuLast = ThreadCpu.now();
        List<ThreadCpu.Share> shares = cpuLast.sharesSince(cpuFirst);
        double processSeconds = cpuLast.processSecondsSince(cpuFirst);
        return new LearnerRun(
            guarantee,
            (first - start) / 1e9,
            (lastChange - first) / 1e9,
            events - firstEvents,
            probe.steps() - firstSteps,
            probe.stepSeconds() - firstStepSeconds,
            streamThreads.stream().mapToDouble(id -> cpuLast.secondsOf(cpuFirst, id)).sum(),
            processSeconds,
            cpuLast.javaThreadSecondsSince(cpuFirst),
            shares.subList(0, Math.min(8, shares.size())),
            sampler == null ? Map.of() : sampler.counts(),
            (jitMillis() - jitFirst) / 1e3,
            ClientTimes.of(app.clientMetrics()).since(clientFirst),
            CpuBudget.of(shares, applicationId, processSeconds));
      } finally {
        if (sampler != null) {
          sampler.close();
        }
      }
    }
  }

  private static long jitMillis() {
    var jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported()
        ? jit.getTotalCompilationTime()
        : 0;
  }

  private static void pause(long deadline, String what)
      throws InterruptedException, TimeoutException {
    if (System.nanoTime() - deadline > 0) {
      throw new TimeoutException("learner run: " + what);
    }
    Thread.sleep(POLL_MILLIS);
  }
}
