package io.mtlstream.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NumericalFaultTest {

  @Test
  void shouldRejectANonFiniteLossAndLeaveTheModelExactlyAsItWas() {
    LearnerSettings settings = LearnerSettings.defaults(Batches.MIXED);
    List<MiniBatch> good = LearnerStateTest.batches(40);
    try (MultiTaskLearner clean = MultiTaskLearner.create(settings);
        MultiTaskLearner faulted = MultiTaskLearner.create(settings)) {
      for (int i = 0; i < good.size(); i++) {
        if (i == 20 || i == 30) {
          float[] params = faulted.parameters();
          double[] weights = faulted.weights();
          float bad = i == 20 ? Float.NaN : Float.POSITIVE_INFINITY;
          StepResult r = faulted.step(Batches.withLabel(good.get(i), 0, bad));
          assertThat(r.accepted()).isFalse();
          assertThat(r.rejection()).isEqualTo("non_finite_loss");
          assertThat(faulted.parameters()).isEqualTo(params);
          assertThat(faulted.weights()).isEqualTo(weights);
        }
        clean.step(good.get(i));
        faulted.step(good.get(i));
      }
      // Optimizer moments, balancer and label statistics were untouched too: the runs agree.
      assertThat(faulted.parameters()).isEqualTo(clean.parameters());
      assertThat(faulted.weights()).isEqualTo(clean.weights());
      assertThat(faulted.steps()).isEqualTo(clean.steps());
      assertThat(faulted.counters().rejectedSteps()).containsEntry("non_finite_loss", 2L);
      assertThat(faulted.counters().trainedEvents()).isEqualTo(clean.counters().trainedEvents());
    }
  }

  @Test
  void shouldClipAnExplodingGradientToTheConfiguredNorm() {
    double limit = 1.0;
    double lr = 0.1;
    LearnerSettings settings =
        LearnerSettings.defaults(Batches.MIXED)
            .withOptimizer(OptimizerSettings.sgd(lr, 0).withClipNorm(limit));
    try (MultiTaskLearner learner = MultiTaskLearner.create(settings)) {
      MiniBatch batch = Batches.random(Batches.MIXED, new SplittableRandom(1), 4, 4, 4);
      float[] before = learner.parameters();
      StepResult r = learner.step(Batches.withLabel(batch, 0, 1e15f));
      float[] after = learner.parameters();

      assertThat(r.accepted()).isTrue();
      assertThat(r.clipped()).isTrue();
      assertThat(r.gradientNorm()).isGreaterThan(1e6);
      double moved = 0;
      for (int i = 0; i < before.length; i++) {
        moved += Math.pow(after[i] - before[i], 2);
      }
      assertThat(Math.sqrt(moved)).isLessThanOrEqualTo(lr * limit * 1.0001).isGreaterThan(0.0);
      for (float p : after) {
        assertThat(Float.isFinite(p)).isTrue();
      }
    }
  }

  @Test
  void shouldLeaveTheTowerOfAnAbsentTaskUntouched() {
    try (MultiTaskLearner learner =
        MultiTaskLearner.create(LearnerSettings.defaults(Batches.MIXED))) {
      var layout = new io.mtlstream.train.nn.ParameterLayout(Batches.MIXED);
      var tower = layout.towerSegment(1);
      learner.step(Batches.random(Batches.MIXED, new SplittableRandom(2), 4, 4, 4));
      float[] before = learner.parameters();
      learner.step(Batches.random(Batches.MIXED, new SplittableRandom(3), 4, 0, 4));
      float[] after = learner.parameters();
      for (long i = tower.start(); i < tower.end(); i++) {
        assertThat(after[(int) i]).isEqualTo(before[(int) i]);
      }
      var trunk = layout.trunkSegment();
      boolean trunkMoved = false;
      for (long i = trunk.start(); i < trunk.end(); i++) {
        trunkMoved |= after[(int) i] != before[(int) i];
      }
      assertThat(trunkMoved).isTrue();
    }
  }
}
