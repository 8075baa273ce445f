package io.mtlstream.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
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
