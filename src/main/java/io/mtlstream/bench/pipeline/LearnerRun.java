package io.mtlstream.bench.pipeline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One learner run over a pre-loaded backlog, measured from its first training step to its last
 * (start-up excluded). Immutable.
 *
 * @param guarantee Kafka Streams {@code processing.guarantee}
 * @param startupSeconds from constructing the learner to the window's opening (first step and the
 *     warm-up share of the backlog)
 * @param seconds wall time from the first step to the last trained event seen
 * @param events events trained in that window
 * @param steps steps timed in that window
 * @param stepSeconds summed time inside training steps in that window (the step timer)
 * @param streamThreadCpuSeconds CPU time of the stream threads (all of them) in that window
 * @param processCpuSeconds CPU time of the whole process in that window
 * @param javaThreadCpuSeconds CPU time of all Java threads in that window (the rest is native
 *     intra-op threads, GC and JIT)
 * @param topThreads the Java threads that used most CPU in that window
 * @param stackSamples stream-thread stack samples by thread and activity (see {@link StackSampler})
 * @param jitSeconds time the JIT compilers spent compiling in that window (a share of it well above
 *     zero says the process is still warming up)
 * @param clientTimes growth of the Kafka clients' time and count meters in that window (see {@link
 *     ClientTimes})
 * @param cpu that window's CPU by part of the rig ({@link CpuBudget})
 */
public record LearnerRun(
    String guarantee,
    double startupSeconds,
    double seconds,
    long events,
    long steps,
    double stepSeconds,
    double streamThreadCpuSeconds,
    double processCpuSeconds,
    double javaThreadCpuSeconds,
    List<ThreadCpu.Share> topThreads,
    Map<String, Long> stackSamples,
    double jitSeconds,
    Map<String, Double> clientTimes,
    CpuBudget cpu) {

  public LearnerRun {
    topThreads = List.copyOf(topThreads);
    stackSamples = Map.copyOf(stackSamples);
    clientTimes = Collections.unmodifiableMap(new LinkedHashMap<>(clientTimes));
  }

  public double eventsPerSecond() {
    return events / seconds;
  }

  /** Fraction of the window the stream thread spent inside training steps. */
  public double stepFraction() {
    return stepSeconds / seconds;
  }

  /** Mean milliseconds per step inside the step timer. */
  public double msPerStep() {
    return steps == 0 ? Double.NaN : 1000 * stepSeconds / steps;
  }
}
