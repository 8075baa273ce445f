package io.mtlstream.train.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class NativeThreadTest {

  private static final String THREADS = "ai.djl.pytorch.num_threads";

  @Test
  void shouldRunAWorkerThreadsProductsOnTheConfiguredThreadCount() throws Exception {
    assumeThat(Runtime.getRuntime().availableProcessors())
        .as("one core cannot tell one thread from several")
        .isGreaterThanOrEqualTo(2);
    String configured = System.getProperty(THREADS);
    Engine.getInstance(); // loads the natives
    int count = JniUtils.getNumThreads();
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.randomUniform(0, 1, new Shape(768, 768));
      System.setProperty(THREADS, "1");
      // Without prepare() a fresh thread's products use libtorch's default of every core: the
      // calling thread does only part of the work (this is the fault prepare() exists for).
      double unprepared = onFreshThread(a, false);
      double prepared = onFreshThread(a, true);

      assertThat(unprepared).isLessThan(0.8);
      assertThat(prepared).isGreaterThan(0.85);
    } finally {
      restore(configured);
      // prepare() on the fresh thread also set libtorch's default for threads that start later.
      JniUtils.setNumThreads(count);
    }
  }

  @Test
  void shouldKeepAOneThreadCountThatAnotherThreadOverridesLater() throws Exception {
    assumeThat(Runtime.getRuntime().availableProcessors())
        .as("one core cannot tell one thread from several")
        .isGreaterThanOrEqualTo(2);
    String configured = System.getProperty(THREADS);
    Engine.getInstance();
    int count = JniUtils.getNumThreads();
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.randomUniform(0, 1, new Shape(768, 768));
      System.setProperty(THREADS, "2");
      // The stream thread sets one thread, then the trainer thread sets the configured two before
      // the stream thread's first product. Setting the count alone is not enough: libtorch applies
      // the count last set by any thread on a thread's first parallel op.
      double setOnly = onFreshThread(a, () -> JniUtils.setNumThreads(1), NativeThread::prepare);
      double oneThreadHere =
          onFreshThread(
              a,
              () -> {
                NativeThread.oneThreadHere();
                NativeThread.prepare();
              },
              NativeThread::prepare);

      assertThat(setOnly).isLessThan(0.8);
      assertThat(oneThreadHere).isGreaterThan(0.85);
    } finally {
      restore(configured);
      JniUtils.setNumThreads(count);
    }
  }

  @Test
  void shouldLeaveTheCountAloneWhenNoneIsConfigured() {
    String configured = System.getProperty(THREADS);
    try {
      System.clearProperty(THREADS);
      assertThat(NativeThread.configuredThreads()).isZero();
      System.setProperty(THREADS, " 3 ");
      assertThat(NativeThread.configuredThreads()).isEqualTo(3);
      System.setProperty(THREADS, "many");
      assertThat(NativeThread.configuredThreads()).isZero();
    } finally {
      restore(configured);
    }
  }

  /**
   * The share of the process's CPU that a new thread's own clock shows while it multiplies: about 1
   * when its products run on it alone, about 1/cores when they are spread over every core.
   */
  private static double onFreshThread(NDArray a, boolean prepare) throws InterruptedException {
    return onFreshThread(a, prepare ? NativeThread::prepare : () -> {}, () -> {});
  }

  /**
   * As {@link #onFreshThread(NDArray, boolean)}, with {@code setup} run on the new thread first and
   * then {@code meanwhile} run to its end on another new thread, both before the first product.
   */
  private static double onFreshThread(NDArray a, Runnable setup, Runnable meanwhile)
      throws InterruptedException {
    AtomicReference<Double> share = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                setup.run();
                Thread other =
                    new Thread(
                        () -> {
                          try {
                            meanwhile.run();
                          } catch (Throwable e) {
                            failure.set(e);
                          }
                        });
                other.start();
                other.join();
                // The first op is elementwise, as in a step: it is where libtorch applies a
                // thread's count (a product alone keeps the one OpenMP was given).
                a.add(a).close();
                a.matMul(a).close();
                var os =
                    (com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean();
                var threads = ManagementFactory.getThreadMXBean();
                long process = os.getProcessCpuTime();
                long own = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < 30; i++) {
                  a.matMul(a).close();
                }
                share.set(
                    (double) (threads.getCurrentThreadCpuTime() - own)
                        / (os.getProcessCpuTime() - process));
              } catch (Throwable e) {
                failure.set(e);
              }
            });
    t.start();
    t.join();
    assertThat(failure.get()).isNull();
    return share.get();
  }

  /** Puts the property back as the run had it. */
  private static void restore(String configured) {
    if (configured == null) {
      System.clearProperty(THREADS);
    } else {
      System.setProperty(THREADS, configured);
    }
  }
}
