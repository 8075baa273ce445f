package io.mtlstream.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.mtlstream.train.nn.ParameterLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TaskMigrationTest {

  private static final ModelSpec GROWN =
      new ModelSpec(
          8,
          new int[] {16, 12},
          Activation.RELU,
          List.of(
              TaskSpec.regression("price", 2, 6),
              TaskSpec.binary("click"),
              TaskSpec.multiclass("category", 3, 5),
              TaskSpec.binary("churn", 4)));

  @Test
  void shouldKeepTrunkAndTowersAndAddANewTowerWithWeightOne() {
    LearnerSettings before = LearnerSettings.defaults(Batches.MIXED);
    byte[] state;
    float[] trained;
    double[] weights;
    try (MultiTaskLearner learner = MultiTaskLearner.create(before)) {
      LearnerStateTest.batches(60).forEach(learner::step);
      state = learner.saveState();
      trained = learner.parameters();
      weights = learner.weights();
    }
    try (MultiTaskLearner grown = MultiTaskLearner.restore(before.withModel(GROWN), state)) {
      ParameterLayout oldLayout = new ParameterLayout(Batches.MIXED);
      ParameterLayout newLayout = new ParameterLayout(GROWN);
      float[] p = grown.parameters();
      assertThat(slice(p, newLayout.trunkSegment()))
          .isEqualTo(slice(trained, oldLayout.trunkSegment()));
      for (int t = 0; t < 3; t++) {
        assertThat(slice(p, newLayout.towerSegment(t)))
            .isEqualTo(slice(trained, oldLayout.towerSegment(t)));
      }
      double[] w = grown.weights();
      assertThat(w).hasSize(4);
      assertThat(w[3]).isEqualTo(1.0);
      assertThat(w[0] / w[1]).isCloseTo(weights[0] / weights[1], within(1e-9));
      assertThat(w[0] + w[1] + w[2] + w[3]).isCloseTo(4.0, within(1e-9));
      assertThat(grown.steps()).isEqualTo(60);
      assertThat(grown.counters().trainedEvents()[3]).isZero();

      SplittableRandom random = new SplittableRandom(4);
      for (int i = 0; i < 30; i++) {
        StepResult r = grown.step(Batches.random(GROWN, random, 4, 4, 4, 4));
        assertThat(r.accepted()).isTrue();
        double sum = 0;
        for (double x : grown.weights()) {
          sum += x;
        }
        assertThat(sum).isCloseTo(4.0, within(1e-9));
      }
      assertThat(grown.counters().trainedEvents()[3]).isEqualTo(120);
    }
  }

  @Test
  void shouldRefuseToDropATaskUnlessForced() {
    LearnerSettings settings = LearnerSettings.defaults(GROWN);
    byte[] state;
    try (MultiTaskLearner learner = MultiTaskLearner.create(settings)) {
      learner.step(Batches.random(GROWN, new SplittableRandom(1), 3, 3, 3, 3));
      state = learner.saveState();
    }
    List<TaskSpec> fewer = new ArrayList<>(GROWN.tasks());
    fewer.remove(1);
    ModelSpec shrunk = new ModelSpec(8, new int[] {16, 12}, Activation.RELU, fewer);
    assertThatThrownBy(() -> MultiTaskLearner.restore(settings.withModel(shrunk), state))
        .hasMessageContaining("[click]")
        .hasMessageContaining("mtl.tasks.allow.removal=true");
    try (MultiTaskLearner forced =
        MultiTaskLearner.restore(settings.withModel(shrunk).withTaskRemoval(true), state)) {
      double[] w = forced.weights();
      assertThat(w).hasSize(3);
      assertThat(w[0] + w[1] + w[2]).isCloseTo(3.0, within(1e-9));
    }
  }

  @Test
  void shouldRefuseAReshapedTrunkOrTask() {
    LearnerSettings settings = LearnerSettings.defaults(Batches.MIXED);
    byte[] state;
    try (MultiTaskLearner learner = MultiTaskLearner.create(settings)) {
      state = learner.saveState();
    }
    ModelSpec wider = new ModelSpec(8, new int[] {16, 32}, Activation.RELU, Batches.MIXED.tasks());
    assertThatThrownBy(() -> MultiTaskLearner.restore(settings.withModel(wider), state))
        .hasMessageContaining("cannot be reshaped");
    List<TaskSpec> changed = new ArrayList<>(Batches.MIXED.tasks());
    changed.set(2, TaskSpec.multiclass("category", 4, 5));
    ModelSpec reshaped = new ModelSpec(8, new int[] {16, 12}, Activation.RELU, changed);
    assertThatThrownBy(() -> MultiTaskLearner.restore(settings.withModel(reshaped), state))
        .hasMessageContaining("task 'category' changed");
  }

  private static float[] slice(float[] v, ParameterLayout.Segment s) {
    return java.util.Arrays.copyOfRange(v, (int) s.start(), (int) s.end());
  }
}
