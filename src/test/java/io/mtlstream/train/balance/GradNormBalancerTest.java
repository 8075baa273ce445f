package io.mtlstream.train.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GradNormBalancerTest {

  private static final double LR = 0.025;

  private static GradNormSettings adam(double alpha) {
    return GradNormSettings.defaults().withAlpha(alpha).withWeightLr(LR);
  }

  @Test
  void shouldHoldWeightsAtOneUntilEveryReferenceIsEstablished() {
    var settings =
        adam(1.0)
            .withReference(ReferenceSettings.defaults().withName("initial").withInitialBatches(5));
    var balancer = new GradNormBalancer(2, settings);
    boolean[] onlyFirst = {true, false};
    for (int step = 0; step < 20; step++) {
      balancer.update(
          new BalanceInput(
              onlyFirst,
              new double[] {3.0 - step * 0.1, Double.NaN},
              new double[] {2.0, Double.NaN},
              Inputs.nans(2)));
      assertThat(balancer.weights()).containsExactly(1.0, 1.0);
      assertThat(balancer.report().warmingUp()).isTrue();
    }
    for (int step = 0; step < 5; step++) {
      assertThat(balancer.warmingUp()).isTrue();
      assertThat(balancer.weights()).containsExactly(1.0, 1.0);
      balancer.update(
          Inputs.allPresent(new double[] {1.0, 1.0}, new double[] {2.0, 0.5}, Inputs.nans(2)));
    }
    assertThat(balancer.warmingUp()).isFalse();
    assertThat(balancer.report().warmingUp()).isFalse();
    assertThat(balancer.weights()[0]).isLessThan(1.0);
  }

  @Test
  void baselineReferenceShouldWaitForFiniteLabelStatistics() {
    var balancer = new GradNormBalancer(2, adam(1.0));
    for (int step = 0; step < 10; step++) {
      balancer.update(
          Inputs.allPresent(
              new double[] {1, 1}, new double[] {2, 0.5}, new double[] {0.7, Double.NaN}));
      assertThat(balancer.weights()).containsExactly(1.0, 1.0);
    }
    balancer.update(
        Inputs.allPresent(new double[] {1, 1}, new double[] {2, 0.5}, new double[] {0.7, 0.7}));
    assertThat(balancer.warmingUp()).isFalse();
    assertThat(balancer.weights()[0]).isCloseTo(1 - LR, within(1e-6));
  }

  @Test
  void adamStateShouldPersistAcrossStepsSoMomentumOutlivesAGradientFlip() {
    var balancer = new GradNormBalancer(2, adam(1.0));
    double[] lagging = {3.0, 1.0}; // r = (1.5, 0.5): task 0 trains slower, its weight must rise
    for (int step = 0; step < 15; step++) {
      double before = balancer.weights()[0];
      balancer.update(Inputs.allPresent(lagging, new double[] {1, 1}, new double[] {1, 1}));
      // Constant gradient sign: every Adam step is lr-sized; opposite signs keep Σ = 2 unscaled.
      assertThat(balancer.weights()[0] - before).isCloseTo(LR, within(1e-6));
    }
    double before = balancer.weights()[0];
    balancer.update(
        Inputs.allPresent(new double[] {1.0, 3.0}, new double[] {1, 1}, new double[] {1, 1}));
    double delta = balancer.weights()[0] - before;
    // The gradient now says "lower w_0"; a re-created Adam would step exactly -lr.
    assertThat(delta).isPositive().isLessThan(LR);
  }

  @Test
  void shouldSkipAndCountAStepWithANonFiniteNorm() {
    var balancer = new GradNormBalancer(2, adam(1.0));
    balancer.update(
        Inputs.allPresent(new double[] {1, 2}, new double[] {1, 1}, new double[] {1, 1}));
    double[] before = balancer.weights();

    balancer.update(
        Inputs.allPresent(new double[] {1, 2}, new double[] {Double.NaN, 1}, new double[] {1, 1}));

    assertThat(balancer.weights()).isEqualTo(before);
    assertThat(balancer.skippedUpdates()).isEqualTo(1);
    assertThat(balancer.report().gradLoss()).isNaN();
    assertThat(balancer.report().weights()).isEqualTo(before);
  }

  @Test
  void absentTaskShouldKeepItsWeightExactlyWhileOthersRenormalise() {
    var balancer = new GradNormBalancer(3, adam(1.0));
    balancer.update(
        Inputs.allPresent(new double[] {3, 1, 1}, new double[] {1, 1, 1}, new double[] {1, 1, 1}));
    double absentWeight = balancer.weights()[2];
    for (int step = 0; step < 50; step++) {
      balancer.update(
          new BalanceInput(
              new boolean[] {true, true, false},
              new double[] {3, 1, Double.NaN},
              new double[] {1, 1, Double.NaN},
              new double[] {1, 1, Double.NaN}));
      assertThat(balancer.weights()[2]).isEqualTo(absentWeight);
      assertThat(Inputs.sum(balancer.weights())).isCloseTo(3.0, within(1e-12));
      assertThat(balancer.report().inverseRates()[2]).isNaN();
    }
    assertThat(balancer.weights()[0]).isGreaterThan(balancer.weights()[1]);
  }

  @Test
  void shouldMaskATaskWhoseLossIsFlatWhileItsWeightKeepsRising() {
    var settings = adam(1.0).withStuckTasks(StuckTaskSettings.enabled(20, 0.01, 20));
    var balancer = new GradNormBalancer(2, settings);
    // Task 0's gradient is tiny, so GradNorm keeps raising its weight; its loss never moves.
    double[] norms = {1e-3, 1.0};
    int maskedAt = -1;
    for (int step = 0; step < 60 && maskedAt < 0; step++) {
      balancer.update(Inputs.allPresent(new double[] {1, 1}, norms, new double[] {1, 1}));
      maskedAt = balancer.maskedTasks()[0] ? step : -1;
    }
    assertThat(maskedAt).as("step at which task 0 was masked").isBetween(19, 40);
    assertThat(balancer.maskedTasks()[1]).isFalse();
    double frozen = balancer.weights()[0];
    for (int step = 0; step < 20; step++) {
      balancer.update(Inputs.allPresent(new double[] {1, 1}, norms, new double[] {1, 1}));
      assertThat(balancer.weights()[0]).isEqualTo(frozen);
      assertThat(balancer.report().weightedNorms()[0]).isNaN();
    }
    for (int step = 0; step < 10; step++) { // the loss moves: the task is no longer stuck
      balancer.update(Inputs.allPresent(new double[] {2, 1}, norms, new double[] {1, 1}));
    }
    assertThat(balancer.maskedTasks()[0]).isFalse();
  }

  @Test
  void shouldNeverMaskWhenStuckTaskMaskingIsOff() {
    var balancer = new GradNormBalancer(2, adam(1.0));
    for (int step = 0; step < 200; step++) {
      balancer.update(
          Inputs.allPresent(new double[] {1, 1}, new double[] {1e-3, 1}, new double[] {1, 1}));
      assertThat(balancer.maskedTasks()).containsExactly(false, false);
    }
  }

  @Test
  void settingsShouldRejectAlphaOutsideZeroToThreeAndABadFloor() {
    var d = GradNormSettings.defaults();
    assertThatThrownBy(() -> d.withAlpha(3.0)).hasMessageContaining("[0, 3)");
    assertThatThrownBy(() -> d.withAlpha(-0.1)).hasMessageContaining("[0, 3)");
    assertThatThrownBy(() -> d.withAlpha(Double.NaN)).hasMessageContaining("alpha");
    assertThatThrownBy(() -> d.withWMin(0)).hasMessageContaining("wMin");
    assertThatThrownBy(() -> d.withWMin(1)).hasMessageContaining("wMin");
    assertThatThrownBy(() -> d.withWeightLr(0)).hasMessageContaining("lr");
    assertThat(d.withAlpha(0).alpha()).isZero();
  }
}
