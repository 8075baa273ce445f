package io.mtlstream.train.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WeightNormalizerTest {

  @Test
  void shouldScaleWhenNoClampIsActive() {
    double[] w = {0.8, 1.05};
    WeightNormalizer.apply(w, new boolean[] {true, true}, 2, 1e-3);
    assertThat(w[0]).isCloseTo(0.8 * 2 / 1.85, within(1e-15));
    assertThat(w[0] + w[1]).isEqualTo(2.0);
  }

  @Test
  void shouldPinTasksThatScalingWouldPushBelowTheFloor() {
    // Clamp gives (0.1, 0.1, 100); plain rescaling to 3 would put the first two at 0.0029 < 0.01.
    double[] w = {-5, 0.1, 100};
    WeightNormalizer.apply(w, new boolean[] {true, true, true}, 3, 0.01);
    assertThat(w[0]).isEqualTo(0.01);
    assertThat(w[1]).isEqualTo(0.01);
    assertThat(w[2]).isCloseTo(2.98, within(1e-12));
    assertThat(w[0] + w[1] + w[2]).isCloseTo(3.0, within(1e-15));
  }

  @Test
  void shouldLeaveInactiveTasksAndShareTheRemainingBudget() {
    double[] w = {2.5, 1.0, 1.0};
    WeightNormalizer.apply(w, new boolean[] {false, true, true}, 3, 1e-3);
    assertThat(w[0]).isEqualTo(2.5);
    assertThat(w[1]).isCloseTo(0.25, within(1e-15));
    assertThat(w[1] + w[2]).isCloseTo(0.5, within(1e-15));
  }
}
