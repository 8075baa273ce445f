package io.mtlstream.train.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DwaBalancerTest {

  @Test
  void aFallingLossShouldLoseWeightToAFlatOne() {
    var balancer = new DwaBalancer(2, 20, 2.0);
    for (int step = 0; step < 39; step++) {
      balancer.update(
          Inputs.allPresent(
              new double[] {Math.pow(0.98, step), 1.0}, Inputs.nans(2), Inputs.nans(2)));
      assertThat(balancer.weights()).as("fewer than 2k losses: ratio 1").containsExactly(1.0, 1.0);
    }
    for (int step = 39; step < 200; step++) {
      balancer.update(
          Inputs.allPresent(
              new double[] {Math.pow(0.98, step), 1.0}, Inputs.nans(2), Inputs.nans(2)));
      assertThat(Inputs.sum(balancer.weights())).isCloseTo(2.0, within(1e-12));
    }
    // ratio_0 = 0.98^20 ≈ 0.668, ratio_1 = 1: w = 2 softmax((0.668, 1) / 2).
    double r0 = Math.pow(0.98, 20);
    double e0 = Math.exp(r0 / 2);
    double e1 = Math.exp(0.5);
    assertThat(balancer.weights()[0]).isCloseTo(2 * e0 / (e0 + e1), within(1e-9));
    assertThat(balancer.weights()[0]).isLessThan(balancer.weights()[1]);
  }

  @Test
  void anAbsentTaskShouldKeepItsWeightAndTheSumStayT() {
    var balancer = new DwaBalancer(3, 2, 2.0);
    for (int step = 0; step < 10; step++) {
      balancer.update(
          Inputs.allPresent(
              new double[] {10.0 / (step + 1), 1, 1}, Inputs.nans(3), Inputs.nans(3)));
    }
    double kept = balancer.weights()[0];
    assertThat(kept).isLessThan(1.0);
    for (int step = 0; step < 10; step++) {
      balancer.update(
          new BalanceInput(
              new boolean[] {false, true, true},
              new double[] {Double.NaN, 1.0 / (step + 1), 1},
              Inputs.nans(3),
              Inputs.nans(3)));
      assertThat(balancer.weights()[0]).isEqualTo(kept);
      assertThat(Inputs.sum(balancer.weights())).isCloseTo(3.0, within(1e-12));
    }
    assertThat(balancer.weights()[1]).isLessThan(balancer.weights()[2]);
  }

  @Test
  void shouldSkipNonFiniteLosses() {
    var balancer = new DwaBalancer(2, 1, 2.0);
    balancer.update(Inputs.allPresent(new double[] {1, 1}, Inputs.nans(2), Inputs.nans(2)));
    balancer.update(
        Inputs.allPresent(
            new double[] {Double.POSITIVE_INFINITY, 1}, Inputs.nans(2), Inputs.nans(2)));
    assertThat(balancer.skippedUpdates()).isEqualTo(1);
    assertThat(balancer.weights()).containsExactly(1.0, 1.0);
  }
}
