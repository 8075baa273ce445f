package io.mtlstream.bench.pipeline;

import io.mtlstream.app.LearnerApp;
import io.mtlstream.app.config.MtlConfig;
import io.mtlstream.app.config.MtlKeys;
import io.mtlstream.app.config.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

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
   * @param warmupFraction the window opens once this share of the backlog is trained: start-up, JIT
   *     compilation of the Kafka and Streams code and the first rebalances are not throughput
   */
  public record Options(
      long events,
      List<String> guarantees,
      Duration runTimeout,
      Duration stall,
      int warmupSteps,
      int rounds,
      int burst,
      double warmupFraction) {
    public Options {
      guarantees = List.copyOf(guarantees);
      if (!(warmupFraction >= 0 && warmupFraction < 1)) {
        throw new IllegalArgumentException("warm-up fraction must be in [0, 1)");
      }
    }
  }

  /**
   * The backlog, each guarantee's run and the in-process figure, timed before and after the runs
   * (the machine's load may change in between; the two show by how much).
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

    /** In-process events per second: the mean of the before and after figures. */
    public double inProcessEventsPerSecond() {
      return (inProcessBefore.eventsPerSecond() + inProcessAfter.eventsPerSecond()) / 2;
    }

    /** End-to-end over in-process events per second, for a run. */
    public double ratio(LearnerRun run) {
      return run.eventsPerSecond() / inProcessEventsPerSecond();
    }
  }

  private PipelineThroughput() {}

  public static Result run(PipelineRig rig, Options options)
      throws InterruptedException, TimeoutException {
    long t0 = System.nanoTime();
    long preloaded = rig.preload(options.events());
    double preloadSeconds = (System.nanoTime() - t0) / 1e9;
    MtlConfig base = rig.config("in-process", Map.of());
    InProcessSteps.Result before = inProcess(rig, base, options);
    List<LearnerRun> runs = new ArrayList<>();
    for (String guarantee : options.guarantees()) {
      String runId = "pipeline-" + guarantee.replace('_', '-');
      MtlConfig config = rig.config(runId, Map.of("processing.guarantee", guarantee));
      runs.add(measure(rig, config, guarantee, preloaded, options));
    }
    InProcessSteps.Result after = inProcess(rig, base, options);
    return new Result(preloaded, preloadSeconds, runs, before, after);
  }

  private static InProcessSteps.Result inProcess(
      PipelineRig rig, MtlConfig config, Options options) {
    return InProcessSteps.run(
        Settings.learner(config),
        rig.workload(),
        config.getInt(MtlKeys.BATCH_SIZE),
        options.warmupSteps(),
        options.rounds(),
        options.burst());
  }

  static LearnerRun measure(
      PipelineRig rig, MtlConfig config, String guarantee, long backlog, Options options)
      throws InterruptedException, TimeoutException {
    int batch = config.getInt(MtlKeys.BATCH_SIZE);
    long target = backlog / batch * batch;
    long start = System.nanoTime();
    long deadline = start + options.runTimeout().toNanos();
    try (LearnerApp app = rig.startLearner(config)) {
      LearnerProbe probe = new LearnerProbe(app.meters());
      long warm = Math.max(1, (long) (target * options.warmupFraction()));
      while (probe.steps() == 0 || probe.trainedEvents() < warm) {
        pause(deadline, "warm-up (" + warm + " events) not trained within " + options.runTimeout());
      }
      long first = System.nanoTime();
      long firstEvents = probe.trainedEvents();
      long firstSteps = probe.steps();
      double firstStepSeconds = probe.stepSeconds();
      ThreadCpu cpuFirst = ThreadCpu.now();
      List<Long> streamThreads =
          StackSampler.findStreamThreads(config.kafka().get("application.id").toString());
      StackSampler sampler = streamThreads.isEmpty() ? null : StackSampler.start(streamThreads, 5);
      try {
        long lastChange = first;
        long events = firstEvents;
        long stallNanos = options.stall().toNanos();
        while (events < target && System.nanoTime() - lastChange < stallNanos) {
          pause(deadline, "trained " + events + " of " + target + " events in time");
          long now = probe.trainedEvents();
          if (now != events) {
            events = now;
            lastChange = System.nanoTime();
          }
        }
        ThreadCpu cpuLast = ThreadCpu.now();
        List<ThreadCpu.Share> shares = cpuLast.sharesSince(cpuFirst);
        return new LearnerRun(
            guarantee,
            (first - start) / 1e9,
            (lastChange - first) / 1e9,
            events - firstEvents,
            probe.steps() - firstSteps,
            probe.stepSeconds() - firstStepSeconds,
            streamThreads.stream().mapToDouble(id -> cpuLast.secondsOf(cpuFirst, id)).sum(),
            cpuLast.processSecondsSince(cpuFirst),
            cpuLast.javaThreadSecondsSince(cpuFirst),
            shares.subList(0, Math.min(8, shares.size())),
            sampler == null ? Map.of() : sampler.counts());
      } finally {
        if (sampler != null) {
          sampler.close();
        }
      }
    }
  }

  private static void pause(long deadline, String what)
      throws InterruptedException, TimeoutException {
    if (System.nanoTime() - deadline > 0) {
      throw new TimeoutException("learner run: " + what);
    }
    Thread.sleep(POLL_MILLIS);
  }
}
