package io.mtlstream.bench.pipeline;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sampling profiler for one thread (the learner's stream thread): every few milliseconds it takes
 * the thread's stack and counts it under the first matching activity — training step, snapshot
 * encoding, checkpoint, commit, state store, decoding, polling, producing — or under "other" with
 * its top frame. Matching is by class and method names seen on the stack, so a renamed class lands
 * in "other" (its top frame shows where) rather than breaking anything.
 *
 * <p>Owns its daemon thread; {@link #close()} stops it. {@link #counts()} may be read from any
 * thread.
 */
public final class StackSampler implements AutoCloseable {

  /** An activity and the stack fragments ({@code Class.method} prefixes or substrings) it owns. */
  private record Activity(String name, List<String> fragments) {}

  // First match wins, outermost context first: a commit flushes stores, a step calls DJL.
  private static final List<Activity> ACTIVITIES =
      List.of(
          new Activity("train step", List.of("MultiTaskLearner.step")),
          // The stream thread waiting for a step on the learner's trainer thread.
          new Activity("wait for background step", List.of("TrainerThread.await")),
          new Activity("snapshot encode", List.of("SnapshotCodec.encode", "ModelRuntime.manifest")),
          new Activity(
              "checkpoint serialize",
              List.of("ModelRuntime.checkpoint", "LearnerCheckpoint", "saveState")),
          new Activity(
              "commit",
              List.of(
                  "TaskManager.commit",
                  "TaskExecutor.commit",
                  "StreamThread.maybeCommit",
                  "commitTransaction",
                  "sendOffsetsToTransaction")),
          new Activity("journal/state store", List.of("org.rocksdb", "KeyValueStore", "journal")),
          new Activity("decode + validate", List.of("EventDecoder", "DecodeProcessor")),
          new Activity("learner input decode", List.of("EventRecordCodec", "LearnerInput")),
          new Activity("learner other", List.of("LearnerProcessor")),
          new Activity("poll", List.of("Consumer.poll", "pollRequests", "pollPhase")),
          new Activity("produce", List.of("RecordCollectorImpl.send", "KafkaProducer.send")));

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<String, Long> counts = new ConcurrentHashMap<>();
  private final Thread sampler;
  private volatile boolean running = true;

  private StackSampler(List<Long> threadIds, long periodMillis) {
    this.sampler =
        new Thread(
            () -> {
              while (running) {
                threadIds.forEach(this::sample);
                try {
                  Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "mtl-bench-stack-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  /**
   * Samples the threads with these ids every {@code periodMillis}; counts are keyed {@code "<thread
   * suffix>: <activity>"} where the suffix is the part after the last {@code -} of the thread's
   * name ({@code StreamThread-2} → {@code 2}).
   */
  public static StackSampler start(List<Long> threadIds, long periodMillis) {
    return new StackSampler(List.copyOf(threadIds), periodMillis);
  }

  /**
   * The id of the stream thread of a Kafka Streams application: its name is {@code
   * <application.id>-<uuid>-StreamThread-<n>}; the thread's producer and consumer I/O threads carry
   * that name too, after a prefix, so the name must start with the application id.
   */
  public static List<Long> findStreamThreads(String applicationId) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(applicationId + "-"))
        .filter(t -> t.getName().matches(".*-StreamThread-\\d+"))
        .sorted(java.util.Comparator.comparing(Thread::getName))
        .map(Thread::getId)
        .toList();
  }

  private void sample(long id) {
    ThreadInfo info = threads.getThreadInfo(id, 64);
    if (info == null) {
      return;
    }
    String name = info.getThreadName();
    String thread = "StreamThread-" + name.substring(name.lastIndexOf('-') + 1);
    counts.merge(thread + ": " + classify(info.getStackTrace()), 1L, Long::sum);
  }

  static String classify(StackTraceElement[] stack) {
    for (Activity a : ACTIVITIES) {
      for (StackTraceElement frame : stack) {
        String where = frame.getClassName() + "." + frame.getMethodName();
        for (String fragment : a.fragments()) {
          if (where.contains(fragment)) {
            return a.name();
          }
        }
      }
    }
    if (stack.length == 0) {
      return "other (no stack)";
    }
    StackTraceElement top = stack[0];
    String cls = top.getClassName();
    return "other: " + cls.substring(cls.lastIndexOf('.') + 1) + "." + top.getMethodName();
  }

  /** Samples per activity so far, largest first. */
  public Map<String, Long> counts() {
    Map<String, Long> sorted = new LinkedHashMap<>();
    new TreeMap<>(counts)
        .entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  @Override
  public void close() {
    running = false;
    sampler.interrupt();
  }
}
