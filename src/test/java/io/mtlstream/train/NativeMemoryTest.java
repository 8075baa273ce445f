package io.mtlstream.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
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
