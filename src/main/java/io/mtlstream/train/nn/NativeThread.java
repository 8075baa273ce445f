package io.mtlstream.train.nn;

import ai.djl.pytorch.jni.JniUtils;

/**
 * The libtorch settings that belong to the calling thread, made right before that thread runs
 * arrays.
 *
 * <p><b>Grad mode</b> is per thread and starts on; DJL's gradient collector restores the mode it
 * found when it closes. On any thread but the one that loaded the engine, every op outside a
 * collector would then record autograd history: the optimizer's views of the parameters, the
 * gradient norms, evaluation. A learner stepped on a worker thread (a Kafka Streams thread) kept
 * one gradient buffer per step alive that way, 100 MB/s in a training loop.
 *
 * <p><b>The intra-op thread count</b> ({@code ai.djl.pytorch.num_threads}) is applied by DJL on the
 * thread that loads the engine only. OpenMP keeps the count per thread, so every other thread — the
 * trainer thread, Kafka Streams threads, an HTTP server's workers — ran its matrix products on
 * every core: measured on 2 cores with the count set to 1, a 1024² product on a new thread kept 2.0
 * cores busy, against 1.0 on the loading thread. Where the learner leaves a core to the stream
 * thread and the broker, that oversubscribed the machine. Each thread applies the configured count
 * once, on its first {@link #prepare()}.
 *
 * <p><b>One team of workers.</b> Every thread that runs a parallel op keeps its own OpenMP workers
 * until it exits, and once the process holds more of them than there are cores libgomp spins only
 * 100 rounds (instead of 300,000) before a waiting worker sleeps. A stream thread that ran a step
 * with outputs or created a model, beside the trainer thread, tipped a 2-core machine over: the
 * trainer's worker slept and woke ≈ 2,000 times a second, once per parallel region. A thread that
 * hands its heavy work to a trainer calls {@link #oneThreadHere()} and never starts a team.
 */
public final class NativeThread {

  /** The count this thread last applied; 0 before its first. */
  private static final ThreadLocal<Integer> APPLIED = ThreadLocal.withInitial(() -> 0);

  private static final ThreadLocal<Boolean> ONE_THREAD = ThreadLocal.withInitial(() -> false);

  private NativeThread() {}

  /**
   * Turns gradient recording off on the calling thread (a collector turns it on for its scope) and,
   * the first time on this thread, sets its intra-op thread count: the configured one, or one after
   * {@link #oneThreadHere()}. Call with the engine loaded.
   */
  public static void prepare() {
    JniUtils.setGradMode(false);
    int wanted = ONE_THREAD.get() ? 1 : configuredThreads();
    if (wanted > 0 && APPLIED.get() != wanted) {
      // On a thread's first op split by libtorch itself (an elementwise one; products go to the
      // BLAS) it applies the count last set by any thread, here perhaps the trainer's. Reading
      // the count has it do that now, so the one set next is the one that stays.
      JniUtils.getNumThreads();
      JniUtils.setNumThreads(wanted);
      APPLIED.set(wanted);
    }
  }

  /**
   * From the next {@link #prepare()} on, the calling thread runs its ops on itself alone, whatever
   * count is configured: for a thread whose steps run on a trainer thread (see the class comment).
   */
  public static void oneThreadHere() {
    ONE_THREAD.set(true);
  }

  /**
   * The intra-op thread count DJL was told to use ({@code ai.djl.pytorch.num_threads}), or 0 when
   * none was set, which leaves libtorch's default of every core on every thread.
   */
  static int configuredThreads() {
    String value = System.getProperty("ai.djl.pytorch.num_threads");
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      return Math.max(0, Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      // DJL rejects it when the engine loads; nothing to add here.
      return 0;
    }
  }
}
