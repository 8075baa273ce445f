package io.mtlstream.train.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BalancersTest {

  @Test
  void shouldCreateEveryNamedBalancer() {
    for (String name : Balancers.names()) {
      LossBalancer b = Balancers.create(name, 3, BalancerSettings.defaults());
      assertThat(b.name()).isEqualTo(name);
      assertThat(b.taskCount()).isEqualTo(3);
      assertThat(b.needsGradientNorms()).isEqualTo(name.equals("gradnorm"));
      assertThat(b.report().weights()).isEqualTo(b.weights());
    }
    assertThat(Balancers.names()).containsExactly("gradnorm", "equal", "uncertainty", "dwa");
    assertThat(Balancers.create(" GradNorm ", 2, BalancerSettings.defaults()))
        .isInstanceOf(GradNormBalancer.class);
  }

  @Test
  void unknownNameShouldListTheValidOnes() {
    assertThatThrownBy(() -> Balancers.create("pcgrad", 2, BalancerSettings.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'pcgrad'")
        .hasMessageContaining("[gradnorm, equal, uncertainty, dwa]");
  }

  @Test
  void equalBalancerShouldAlwaysReturnOnes() {
    var b = new EqualBalancer(2);
    b.update(Inputs.allPresent(new double[] {1, 100}, Inputs.nans(2), Inputs.nans(2)));
    assertThat(b.weights()).containsExactly(1.0, 1.0);
    assertThat(b.report().gradLoss()).isNaN();
  }

  @Test
  void defaultsShouldBeThePaperValuesAndTheBaselineReference() {
    var s = BalancerSettings.defaults();
    assertThat(s.gradNorm().weightLr()).isEqualTo(0.025);
    assertThat(s.gradNorm().optimizer()).isEqualTo(WeightOptimizer.Kind.ADAM);
    assertThat(s.gradNorm().wMin()).isEqualTo(1e-3);
    assertThat(s.gradNorm().reference().name()).isEqualTo("baseline");
    assertThat(s.gradNorm().stuckTasks().enabled()).isFalse();
    assertThat(s.dwaWindow()).isEqualTo(20);
    assertThat(s.dwaTemperature()).isEqualTo(2.0);
    assertThat(s.withAlpha(0.12).gradNorm().alpha()).isEqualTo(0.12);
    assertThat(s.withReference("ema").gradNorm().reference().name()).isEqualTo("ema");
  }
}
