package io.mtlstream.train.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class UncertaintyBalancerTest {

  @Test
  void logVarianceShouldConvergeToLogOfAConstantLoss() {
    var balancer = new UncertaintyBalancer(2, 0.025);
    assertThat(balancer.weights()).containsExactly(0.5, 0.5);
    for (int step = 0; step < 3_000; step++) {
      balancer.update(Inputs.allPresent(new double[] {4.0, 0.25}, Inputs.nans(2), Inputs.nans(2)));
    }
    // argmin_s ½(e^{-s} L + s) = log L, where the weight ½e^{-s} = 1/(2L).
    assertThat(balancer.logVariances()[0]).isCloseTo(Math.log(4.0), within(0.02));
    assertThat(balancer.logVariances()[1]).isCloseTo(Math.log(0.25), within(0.02));
    assertThat(balancer.weights()[0]).isCloseTo(0.125, within(0.003));
    assertThat(balancer.weights()[1]).isCloseTo(2.0, within(0.05));
    assertThat(balancer.needsGradientNorms()).isFalse();
  }

  @Test
  void shouldLearnOnlyPresentTasksAndSkipNonFiniteLosses() {
    var balancer = new UncertaintyBalancer(2, 0.025);
    for (int step = 0; step < 10; step++) {
      balancer.update(
          new BalanceInput(
              new boolean[] {true, false},
              new double[] {4.0, Double.NaN},
              Inputs.nans(2),
              Inputs.nans(2)));
    }
    assertThat(balancer.logVariances()[0]).isPositive();
    assertThat(balancer.logVariances()[1]).isZero();
    double[] before = balancer.logVariances();

    balancer.update(
        Inputs.allPresent(new double[] {Double.NaN, 1.0}, Inputs.nans(2), Inputs.nans(2)));

    assertThat(balancer.logVariances()).isEqualTo(before);
    assertThat(balancer.skippedUpdates()).isEqualTo(1);
    assertThat(balancer.report().weights()).isEqualTo(balancer.weights());
  }
}
