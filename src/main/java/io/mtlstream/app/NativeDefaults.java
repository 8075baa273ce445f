package io.mtlstream.app;

import io.mtlstream.runtime.MallocTuning;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.nn.ParameterLayout;

/**
 * Process-wide DJL defaults, set before the engine loads: offline (the CPU natives ship in the jar;
 * nothing is downloaded), no usage tracking, fixed native thread counts so runs are reproducible,
 * and malloc thresholds that let training steps reuse their memory ({@link MallocTuning}). Each is
 * a default only: a {@code -D} on the command line, or glibc's own environment variables, win.
 */
final class NativeDefaults {

  /** The intra-op thread count DJL reads when the engine loads. */
  static final String THREADS = "ai.djl.pytorch.num_threads";

  private NativeDefaults() {}

  static void apply() {
    setDefault("ai.djl.offline", "true");
    setDefault("OPT_OUT_TRACKING", "true");
    // The intra-op thread count is each command's choice (threads()); defaulting it here would turn
    // that choice into a no-op.
    setDefault("ai.djl.pytorch.num_interop_threads", "1");
    setDefault("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    setDefault("org.slf4j.simpleLogger.logFile", "System.err");
    // Transactions v2 (KIP-890) rejects a producer's later batches with a retriable
    // OutOfOrderSequence until its first batch to a partition lands (KAFKA-18202); the in-process
    // broker logs each such retry at ERROR although nothing is wrong. Other broker errors still
    // show.
    setDefault("org.slf4j.simpleLogger.log.kafka.server.ReplicaManager", "off");
    // Before the engine or any Kafka client allocates, after the logging defaults (it logs).
    MallocTuning.apply();
  }

  /**
   * Models of at least this many parameters train on every core even where Kafka clients or a
   * broker share the machine: their step, not the per-event stream work, is what fills it. Measured
   * on 2 cores with {@code bench pipeline} (direct binary input, 1 against 2 threads alternated,
   * docs/BENCHMARKS.md): 76k parameters ran ×1.16–1.52 faster on one thread, 0.76M about alike
   * (×1.02 and ×1.08 for two), 2.56M ×1.22 faster on two.
   */
  static final long EVERY_CORE_PARAMETERS = 1_000_000;

  /**
   * Sets the PyTorch intra-op thread count unless the user chose one (-D, or {@code mtl.threads}).
   * Compute-only commands (bench, experiment) take every core; commands that share the machine with
   * Kafka clients or an in-process broker leave one core free: with every core busy in libgomp's
   * spin-wait, a training step on a shared 2-core machine was measured 20-100× slower.
   */
  static void threads(boolean everyCore) {
    int cores = Runtime.getRuntime().availableProcessors();
    setDefault(THREADS, String.valueOf(everyCore ? cores : oneCoreLeft(cores)));
  }

  /**
   * Sets the learner's intra-op thread count for a model of this shape unless the user chose one
   * (-D; {@code mtl.threads} is applied later by the learner and wins over both).
   */
  static void learnerThreadsDefault(ModelSpec spec) {
    int cores = Runtime.getRuntime().availableProcessors();
    setDefault(THREADS, String.valueOf(learnerThreads(cores, new ParameterLayout(spec).size())));
  }

  /**
   * Every core for a model of at least {@link #EVERY_CORE_PARAMETERS}; otherwise one core left to
   * the stream thread, the Kafka clients and a broker on the same machine.
   */
  static int learnerThreads(int cores, long parameters) {
    return parameters >= EVERY_CORE_PARAMETERS ? cores : oneCoreLeft(cores);
  }

  private static int oneCoreLeft(int cores) {
    return Math.max(1, cores - 1);
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
