package io.mtlstream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TrainerThreadTest {

  @Test
  void shouldRethrowAStepsFailureAsItWasThrown() {
    IllegalStateException failure = new IllegalStateException("non-finite parameters");
    try (TrainerThread trainer = new TrainerThread("mtl-trainer-test")) {
      Future<Object> step =
          trainer.submit(
              () -> {
                throw failure;
              });
      assertThatThrownBy(() -> TrainerThread.await(step)).isSameAs(failure);
    }
  }

  @Test
  void shouldRunWorkInSubmissionOrderOnOneNamedDaemonThread() {
    List<String> threads = new ArrayList<>();
    List<Integer> order = new ArrayList<>();
    try (TrainerThread trainer = new TrainerThread("mtl-trainer-test")) {
      List<Future<Integer>> work = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        int n = i;
        work.add(
            trainer.submit(
                () -> {
                  synchronized (order) {
                    order.add(n);
                    Thread t = Thread.currentThread();
                    threads.add(t.getName() + (t.isDaemon() ? " daemon" : ""));
                  }
                  return n;
                }));
      }
      for (int i = 0; i < work.size(); i++) {
        assertThat(TrainerThread.await(work.get(i))).isEqualTo(i);
      }
    }
    assertThat(order).isSorted().hasSize(20);
    assertThat(threads).containsOnly("mtl-trainer-test daemon");
  }

  @Test
  void shouldWaitForTheRunningStepWhenClosed() throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    TrainerThread trainer = new TrainerThread("mtl-trainer-test");
    trainer.submit(
        () -> {
          started.countDown();
          // Work long enough that a close() which did not wait would return first.
          double x = 0;
          for (int i = 0; i < 50_000_000; i++) {
            x += Math.sqrt(i);
          }
          finished.set(x > 0);
          return null;
        });
    started.await();
    trainer.close();
    assertThat(finished).isTrue();
  }
}
