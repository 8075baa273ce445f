package io.mtlstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StepBenchmarkTest {

  @Test
  void shouldPairRoundsSoThatADriftHittingBothVariantsCancels() {
    // The machine slows 3× over the run; the variant is 1.1× the base in every round.
    double[] base = {1, 1, 1, 3, 3};
    double[] variant = {1.1, 1.1, 1.1, 3.3, 3.3};

    assertThat(StepBenchmark.pairedRatio(variant, base)).isCloseTo(1.1, within(1e-12));
  }

  @Test
  void shouldTakeTheMedianRoundRatioSoOneDisturbedRoundDoesNotMoveIt() {
    double[] base = {2, 2, 2, 2, 2};
    double[] variant = {2.2, 2.2, 9.0, 2.3, 2.1};

    assertThat(StepBenchmark.pairedRatio(variant, base)).isCloseTo(1.1, within(1e-12));
  }

  @Test
  void shouldRefuseRoundsThatDoNotPair() {
    assertThatThrownBy(() -> StepBenchmark.pairedRatio(new double[] {1, 2}, new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
