package io.mtlstream.bench.pipeline;

import io.mtlstream.stream.LearnerTopology;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Where a run's CPU went, by part of the rig, and the throughput that CPU allows on this machine's
 * cores. The broker and the feed run in the benchmark's process on the same cores as the learner,
 * so a run cannot train faster than {@code cores / (process CPU per event)} however well its
 * threads overlap: that bound, over the in-process figure, caps the end-to-end ratio. The learner's
 * own parts give the bound it would have with the broker and the feed on other machines, as in a
 * deployment. Immutable.
 *
 * @param seconds CPU seconds by part in the window
 */
public record CpuBudget(Map<Part, Double> seconds) {

  /** A part of the rig, told apart by its threads' names. */
  public enum Part {
    TRAINING("training (trainer threads)", true),
    STREAM("stream threads (decode, journal, commit, steps with outputs)", true),
    LEARNER_CLIENTS("the learner's Kafka client threads", true),
    FEED("the feed (generator and its producer)", false),
    OTHER_JAVA("broker and other Java threads", false),
    NATIVE("not in Java threads (GC, JIT, intra-op threads)", false);

    private final String label;
    private final boolean learners;

    Part(String label, boolean learners) {
      this.label = label;
      this.learners = learners;
    }

    public String label() {
      return label;
    }

    /** Whether the part belongs to the learner itself, wherever the broker and the feed run. */
    public boolean learners() {
      return learners;
    }
  }

  /** Thread-name prefix of the benchmark's feeds, and of their producers' client ids. */
  public static final String FEED_PREFIX = "mtl-bench-feed";

  public CpuBudget {
    EnumMap<Part, Double> copy = new EnumMap<>(Part.class);
    for (Part p : Part.values()) {
      copy.put(p, seconds.getOrDefault(p, 0.0));
    }
    seconds = Collections.unmodifiableMap(copy);
  }

  /**
   * Sorts the window's per-thread CPU into parts.
   *
   * @param applicationId the learner's {@code application.id}, which its stream threads and client
   *     threads carry in their names
   * @param processSeconds CPU of the whole process in the window; what its Java threads did not use
   *     is {@link Part#NATIVE}
   */
  public static CpuBudget of(
      List<ThreadCpu.Share> shares, String applicationId, double processSeconds) {
    EnumMap<Part, Double> seconds = new EnumMap<>(Part.class);
    double java = 0;
    for (ThreadCpu.Share share : shares) {
      seconds.merge(partOf(share.thread(), applicationId), share.cpuSeconds(), Double::sum);
      java += share.cpuSeconds();
    }
    seconds.put(Part.NATIVE, Math.max(0, processSeconds - java));
    return new CpuBudget(seconds);
  }

  /** The part a Java thread of this name belongs to. */
  static Part partOf(String thread, String applicationId) {
    // PipelineBenchmarksTest fails if a part stops matching the real threads.
    if (thread.startsWith(LearnerTopology.TRAINER_THREAD_PREFIX)) {
      return Part.TRAINING;
    }
    if (thread.contains(FEED_PREFIX)) {
      return Part.FEED;
    }
    if (thread.contains(applicationId)) {
      // Client threads are named "kafka-producer-network-thread | <client id>" and the like.
      return thread.startsWith("kafka-") || !thread.contains("-StreamThread-")
          ? Part.LEARNER_CLIENTS
          : Part.STREAM;
    }
    return Part.OTHER_JAVA;
  }

  public double total() {
    return seconds.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /** CPU of the learner's own parts ({@link Part#learners}). */
  public double learners() {
    return seconds.entrySet().stream()
        .filter(e -> e.getKey().learners())
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }

  /** Microseconds of CPU per trained event. */
  public static double microsPerEvent(double cpuSeconds, long events) {
    return events == 0 ? Double.NaN : 1e6 * cpuSeconds / events;
  }

  /** Events per second that {@code cores} fully busy allow at this CPU per event. */
  public static double ceiling(double cpuSeconds, long events, int cores) {
    return cpuSeconds <= 0 ? Double.NaN : cores * (double) events / cpuSeconds;
  }
}
