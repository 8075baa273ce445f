package io.mtlstream.train.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The host-side block sums of the Gram form; GradientNormEquivalenceTest covers it end to end. */
class GramNormsTest {

  @Test
  void shouldSumEachBlocksDiagonalSquareOnly() {
    // 3 rows: block 0 = row 0, block 1 = rows 1..2; off-block pairs (9s) must not count.
    float[] values = {
      -1, // the total norm, before the pairs
      4, 9, 9, 9, 1, 2, 9, 2, 4
    };

    double[] norms = GramNorms.blockNorms(values, 1, List.of(1, 2));

    assertThat(norms[0]).isCloseTo(2.0, within(1e-12));
    assertThat(norms[1]).isCloseTo(3.0, within(1e-12));
  }

  @Test
  void shouldClampARoundedNegativeSumToZero() {
    assertThat(GramNorms.blockNorms(new float[] {-1e-9f}, 0, List.of(1))).containsExactly(0.0);
  }

  @Test
  void shouldRefuseValuesThatAreNotRowsSquared() {
    assertThatThrownBy(() -> GramNorms.blockNorms(new float[] {0, 1, 2, 3}, 1, List.of(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 pair values for 2 rows");
  }

  @Test
  void shouldPayBelowTheCrossoverOnly() {
    ParameterLayout.Dense shared = new ParameterLayout.Dense(256, 256, 0);
    assertThat(GramNorms.pays(127, shared)).isTrue();
    assertThat(GramNorms.pays(128, shared)).isFalse();
  }
}
