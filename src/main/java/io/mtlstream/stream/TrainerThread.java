package io.mtlstream.stream;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The thread a stream task's learners train on while the stream thread goes on reading, decoding
 * and journaling the next batch (see {@link ModelRuntime#accept}). The learners of a JVM share one
 * ({@link SharedTrainer}): steps queue on it in submission order, so each model's steps stay in
 * order and never overlap one another. A daemon, so a learner that is never closed cannot keep the
 * JVM alive; {@link #close()} waits for the running step, because that step owns native memory its
 * learner is about to free.
 */
final class TrainerThread implements AutoCloseable {

  private final ExecutorService executor;

  TrainerThread(String name) {
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
  }

  <T> Future<T> submit(Callable<T> work) {
    return executor.submit(work);
  }

  /**
   * The result of {@code work}, waiting for it; its failure is rethrown as it was thrown, so a
   * failing step surfaces on the stream thread exactly as a step run there would.
   */
  static <T> T await(Future<T> work) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return work.get();
        } catch (InterruptedException e) {
          // The step is running native code and cannot be abandoned half way: finish waiting,
          // then restore the interrupt for the caller.
          interrupted = true;
        }
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("training step failed", cause);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    executor.shutdown();
    boolean interrupted = false;
    while (!executor.isTerminated()) {
      try {
        executor.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
