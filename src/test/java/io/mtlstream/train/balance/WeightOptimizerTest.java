package io.mtlstream.train.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WeightOptimizerTest {

  @Test
  void adamShouldTakeLearningRateSizedStepsForAConstantGradientOfAnyMagnitude() {
    var adam = new WeightOptimizer(WeightOptimizer.Kind.ADAM, 0.025, 2);
    double a = 0;
    double b = 0;
    for (int step = 0; step < 100; step++) {
      double na = adam.step(0, a, 1e-4);
      double nb = adam.step(1, b, 1e4);
      assertThat(a - na).isCloseTo(0.025, within(0.025 * 2e-4));
      assertThat(b - nb).isCloseTo(0.025, within(1e-9));
      a = na;
      b = nb;
    }
    assertThat(adam.steps(0)).isEqualTo(100);
  }

  @Test
  void adamShouldKeepMomentumAcrossAGradientFlip() {
    var adam = new WeightOptimizer(WeightOptimizer.Kind.ADAM, 0.1, 1);
    double p = 0;
    for (int step = 0; step < 50; step++) {
      p = adam.step(0, p, 1.0);
    }
    double flipped = adam.step(0, p, -1.0);
    assertThat(flipped).as("still moving down after the flip").isLessThan(p);
  }

  @Test
  void adamShouldSurviveAnEnormousGradient() {
    var adam = new WeightOptimizer(WeightOptimizer.Kind.ADAM, 0.1, 1);
    double p = adam.step(0, 0, -1e300);
    assertThat(p).isCloseTo(0.1, within(1e-9));
    assertThat(adam.step(0, p, -1)).isGreaterThan(p);
  }

  @Test
  void sgdShouldStepByLearningRateTimesGradient() {
    var sgd = new WeightOptimizer(WeightOptimizer.Kind.SGD, 0.1, 1);
    assertThat(sgd.step(0, 1.0, 2.0)).isCloseTo(0.8, within(1e-15));
  }

  @Test
  void remapShouldCarryMomentsAndStepCountsOfKeptParametersOnly() {
    var adam = new WeightOptimizer(WeightOptimizer.Kind.ADAM, 0.05, 2);
    var fresh = new WeightOptimizer(WeightOptimizer.Kind.ADAM, 0.05, 1);
    for (int step = 0; step < 30; step++) {
      adam.step(0, 0, step % 3 - 1);
      adam.step(1, 0, 1.0 + step);
    }
    var remapped = adam.remap(TaskRemap.of(new int[] {-1, 1}, 2));

    assertThat(remapped.steps(0)).isZero();
    assertThat(remapped.steps(1)).isEqualTo(30);
    for (int step = 0; step < 20; step++) {
      double g = Math.sin(step);
      assertThat(remapped.step(1, 0.3, g)).isEqualTo(adam.step(1, 0.3, g));
      assertThat(remapped.step(0, 0.3, g)).isEqualTo(fresh.step(0, 0.3, g));
    }
    assertThat(adam.steps(0)).as("the original is independent").isEqualTo(30);
  }
}
