package io.mtlstream.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {

  /** Counts every array alive in the engine, across all managers. */
  private static int liveArrays() {
    try (NDManager probe = NDManager.newBaseManager()) {
      return probe.getParentManager().getManagedArrays().size();
    }
  }

  /** Bytes of direct buffers the JVM holds; they are freed only when the collector finds them. */
  private static long directBytes() {
    return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .filter(b -> b.getName().equals("direct"))
        .mapToLong(BufferPoolMXBean::getMemoryUsed)
        .sum();
  }

  @Test
  void shouldStageStepInputsWithoutAllocatingDirectMemoryPerStep() {
    ModelSpec spec =
        new ModelSpec(
            256,
            new int[] {8},
            Activation.RELU,
            List.of(
                TaskSpec.regression("a", 2), TaskSpec.binary("b"), TaskSpec.multiclass("c", 3)));
    SplittableRandom random = new SplittableRandom(3);
    List<MiniBatch> pool =
        java.util.stream.IntStream.range(0, 8)
            .mapToObj(i -> Batches.random(spec, random, 16, 16, 16))
            .toList();
    try (MultiTaskLearner learner = MultiTaskLearner.create(LearnerSettings.defaults(spec))) {
      for (int i = 0; i < 50; i++) {
        learner.step(pool.get(i % pool.size()));
      }
      long before = directBytes();
      for (int i = 0; i < 2_000; i++) {
        learner.step(pool.get(i % pool.size()));
      }
      // Inputs are staged on one reused buffer. A fresh direct buffer per input array (48 KiB of
      // features a step) would hold ~100 MB here until a collection happened to free them; DJL's
      // scalar operands still take a few bytes each.
      assertThat(directBytes() - before).isLessThan(1 << 20);
    }
  }

  /** Anonymous resident memory of this process in MiB (Linux), or -1. */
  private static long residentAnonMiB() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return -1;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("RssAnon:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
      }
    }
    return -1;
  }

  @Test
  void shouldHoldNoMemoryPerStepWhenSteppedOnAThreadOtherThanTheEnginesLoader() throws Exception {
    // GradientCollector restores the thread's grad mode, which libtorch starts "on" on every new
    // thread: a step on a Kafka Streams thread once kept a parameter-sized gradient alive per step.
    ModelSpec spec =
        new ModelSpec(
            250,
            new int[] {100, 100, 100, 100},
            Activation.RELU,
            List.of(TaskSpec.regression("a", 100), TaskSpec.regression("b", 100)));
    SplittableRandom random = new SplittableRandom(5);
    List<MiniBatch> pool =
        java.util.stream.IntStream.range(0, 8)
            .mapToObj(i -> Batches.random(spec, random, 50, 50))
            .toList();
    try (MultiTaskLearner learner = MultiTaskLearner.create(LearnerSettings.defaults(spec))) {
      learner.step(pool.get(0)); // loads the engine on this thread
      long[] growth = new long[1];
      boolean[] gradMode = {true};
      Thread worker =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 200; i++) {
                    learner.step(pool.get(i % pool.size()));
                  }
                  long before = residentAnonMiB();
                  for (int i = 0; i < 1_500; i++) {
                    learner.step(pool.get(i % pool.size()));
                  }
                  growth[0] = before < 0 ? 0 : residentAnonMiB() - before;
                  gradMode[0] = ai.djl.pytorch.jni.JniUtils.isGradMode();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      worker.start();
      worker.join();
      assertThat(gradMode[0]).as("grad mode on the worker thread after its steps").isFalse();
      // A kept gradient is 340 KB here, ~500 MB over these steps; the rest is the heap growing.
      assertThat(growth[0]).isLessThan(300);
      assertThat(learner.steps()).isEqualTo(1_701);
    }
  }

  @Test
  void shouldKeepTheCountOfLiveNativeArraysFlatOver20000Steps() {
    ModelSpec spec =
        new ModelSpec(
            4,
            new int[] {8},
            Activation.RELU,
            List.of(
                TaskSpec.regression("a", 1), TaskSpec.binary("b"), TaskSpec.multiclass("c", 3)));
    SplittableRandom random = new SplittableRandom(9);
    List<MiniBatch> pool =
        java.util.stream.IntStream.range(0, 16)
            .mapToObj(i -> Batches.random(spec, random, 3, i % 4 == 0 ? 0 : 2, 3))
            .toList();
    try (MultiTaskLearner learner = MultiTaskLearner.create(LearnerSettings.defaults(spec))) {
      for (int i = 0; i < 200; i++) {
        learner.step(pool.get(i % pool.size()));
      }
      learner.saveState();
      learner.predict(0, new float[8], 2);
      int baseline = liveArrays();
      int own = learner.liveNativeArrays();
      for (int i = 0; i < 20_000; i++) {
        learner.step(pool.get(i % pool.size()));
        if (i % 5_000 == 0) {
          learner.saveState();
          learner.loss(1, new float[4], new float[] {1}, 1);
        }
      }
      assertThat(liveArrays()).isEqualTo(baseline);
      assertThat(learner.liveNativeArrays()).isEqualTo(own);
      assertThat(learner.steps()).isEqualTo(20_200);
    }
  }
}
