package io.mtlstream.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SpearmanTest {

  @Test
  void shouldRankMonotoneAndReversedAndTiedSamples() {
    assertThat(Spearman.correlation(new double[] {1, 2, 3, 4}, new double[] {10, 20, 30, 400}))
        .isEqualTo(1.0);
    assertThat(Spearman.correlation(new double[] {1, 2, 3}, new double[] {3, 2, 1}))
        .isEqualTo(-1.0);
    // Ties get average ranks: x ranks (1.5, 1.5, 3), y ranks (1, 2, 3) → ρ = √3/2.
    assertThat(Spearman.correlation(new double[] {5, 5, 9}, new double[] {1, 2, 3}))
        .isCloseTo(Math.sqrt(3) / 2, within(1e-12));
  }
}
