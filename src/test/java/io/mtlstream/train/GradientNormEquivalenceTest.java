package io.mtlstream.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mtlstream.train.nn.TrainingStep.NormMethod;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GradientNormEquivalenceTest {

  /**
   * SGD with learning rate 1 and no momentum makes the parameter change equal to minus the
   * gradient, so comparing parameters compares the network gradients themselves.
   */
  @ParameterizedTest
  @EnumSource(Activation.class)
  void shouldGiveTheNormsAndGradientOfSeparateFullBackwardPasses(Activation activation) {
    ModelSpec spec =
        new ModelSpec(
            Batches.MIXED.inputs(), Batches.MIXED.trunkWidths(), activation, Batches.MIXED.tasks());
    LearnerSettings settings =
        LearnerSettings.defaults(spec).withOptimizer(OptimizerSettings.sgd(1.0, 0)).withSeed(3);
    try (MultiTaskLearner onePass = MultiTaskLearner.create(settings);
        MultiTaskLearner naive =
            MultiTaskLearner.create(settings.withNormMethod(NormMethod.PER_TASK_BACKWARD))) {
      SplittableRandom random = new SplittableRandom(11);
      // Up to 6 rows the Gram form gives the norms, from 7 on the per-block products (12×16 layer).
      int[][] layouts = {
        {5, 7, 4}, {9, 0, 3}, {1, 1, 1}, {0, 6, 0}, {12, 4, 8}, {2, 1, 3}, {3, 0, 2}
      };
      int positive = 0;
      for (int[] rows : layouts) {
        float[] before = onePass.parameters();
        MiniBatch batch = Batches.random(spec, random, rows);
        StepResult a = onePass.step(batch);
        StepResult b = naive.step(batch);

        assertThat(a.accepted()).isTrue();
        for (int t = 0; t < spec.taskCount(); t++) {
          if (rows[t] == 0) {
            assertThat(a.gradNorms()[t]).isNaN();
            continue;
          }
          // Zero only where the reference is zero too: every row of the block dead at a ReLU.
          if (b.gradNorms()[t] > 0) {
            assertThat(a.gradNorms()[t]).isPositive();
            positive++;
          }
          assertThat(a.gradNorms()[t]).isCloseTo(b.gradNorms()[t], within(1e-5 * b.gradNorms()[t]));
        }
        float[] pa = onePass.parameters();
        float[] pb = naive.parameters();
        double moved = 0;
        for (int i = 0; i < pa.length; i++) {
          moved = Math.max(moved, Math.abs(pb[i] - before[i]));
        }
        // Equal up to float rounding of the gradient: the two methods sum the shared weight's
        // gradient in different orders, and a large gradient (identity activation) scales that.
        double tolerance = 1e-5 * Math.max(0.1, moved);
        for (int i = 0; i < pa.length; i++) {
          assertThat((double) pa[i]).isCloseTo(pb[i], within(tolerance));
        }
        assertThat(moved).as("the step changed the parameters").isGreaterThan(1e-4);
      }
      assertThat(positive).as("non-zero task norms compared (of 17)").isGreaterThanOrEqualTo(15);
    }
  }
}
