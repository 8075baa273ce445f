package io.mtlstream.stream;

/**
 * The one {@link TrainerThread} that every {@link LearnerProcessor} of this JVM trains on while any
 * of them holds it. Steps of learners on different threads take turns anyway (TrainingStep: one
 * gradient collector per JVM), so a trainer per stream task bought no parallelism; it did cost a
 * second team of OpenMP workers as soon as two tasks held models (several models, or a task topic
 * with several partitions), and with more workers than cores libgomp lets a waiting worker spin 100
 * rounds instead of 300,000 before it sleeps (see {@code NativeThread}). Measured on 2 cores, 10 MB
 * model, two intra-op threads, two learners stepped in turn: 23.1–23.8 ms per step on a thread each
 * (each worker slept ≈ 16,700 times in 400 steps) against 21.3–21.7 ms on one shared thread (2).
 * The thread is started by the first holder and ends with the last, so a JVM with no learner keeps
 * no trainer and a later holder gets a fresh thread.
 */
final class SharedTrainer {

  /** The shared trainer thread's name; bench pipeline attributes its CPU by the prefix. */
  static final String THREAD_NAME = LearnerTopology.TRAINER_THREAD_PREFIX + "shared";

  private static TrainerThread current;
  private static int holders;

  private SharedTrainer() {}

  /** The shared trainer, started if nobody holds it; give it back with {@link #release}. */
  static synchronized TrainerThread acquire() {
    if (holders == 0) {
      current = new TrainerThread(THREAD_NAME);
    }
    holders++;
    return current;
  }

  /**
   * Gives back a trainer from {@link #acquire}; the last holder's release waits for the thread's
   * queued work and ends it. The caller must have collected its own steps first.
   */
  static synchronized void release(TrainerThread trainer) {
    if (trainer != current || holders == 0) {
      throw new IllegalStateException("releasing a trainer that is not the shared one");
    }
    if (--holders == 0) {
      current = null;
      trainer.close();
    }
  }

  /** How many processors hold the shared trainer (for tests). */
  static synchronized int holders() {
    return holders;
  }
}
