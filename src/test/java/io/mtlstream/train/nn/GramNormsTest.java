package io.mtlstream.train.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The host-side block sums of the Gram form; GradientNormEquivalenceTest covers it end to end. */
class GramNormsTest {

  @Test
  void shouldSumEachBlocksDiagonalSquareOnly() {
    // 3 rows: block 0 = row 0, block 1 = rows 1..2; off-block pairs (9s) must not count.
    float[] values = {4, 9, 9, 9, 1, 2, 9, 2, 4};

    double[] norms = GramNorms.blockNorms(values, List.of(1, 2));

    assertThat(norms[0]).isCloseTo(2.0, within(1e-12));
    assertThat(norms[1]).isCloseTo(3.0, within(1e-12));
  }

  @Test
  void shouldClampARoundedNegativeSumToZero() {
    assertThat(GramNorms.blockNorms(new float[] {-1e-9f}, List.of(1))).containsExactly(0.0);
  }

  @Test
  void shouldRefuseValuesThatAreNotRowsSquared() {
    assertThatThrownBy(() -> GramNorms.blockNorms(new float[] {1, 2, 3}, List.of(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 pair values for 2 rows");
  }

  @Test
  void shouldFormThePairMatrixOfBothGramMatrices() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // G: 3 rows of width 2, H: 3 rows of width 1 (the widths differ, as out and in may).
      NDArray g = manager.create(new float[] {1, 2, 0, 1, 3, -1}, new Shape(3, 2));
      NDArray h = manager.create(new float[] {2, -1, 1}, new Shape(3, 1));

      float[] pairs = GramNorms.pairs(g, h).toFloatArray();

      // (G Gᵀ)[r][s] = g_r·g_s, (H Hᵀ)[r][s] = h_r·h_s.
      float[][] gRows = {{1, 2}, {0, 1}, {3, -1}};
      float[] hRows = {2, -1, 1};
      assertThat(pairs).hasSize(9);
      for (int r = 0; r < 3; r++) {
        for (int s = 0; s < 3; s++) {
          float gg = gRows[r][0] * gRows[s][0] + gRows[r][1] * gRows[s][1];
          assertThat(pairs[r * 3 + s]).isEqualTo(gg * hRows[r] * hRows[s]);
        }
      }
    }
  }

  @Test
  void shouldPayBelowTheCrossoverOnly() {
    ParameterLayout.Dense shared = new ParameterLayout.Dense(256, 256, 0);
    assertThat(GramNorms.pays(127, shared)).isTrue();
    assertThat(GramNorms.pays(128, shared)).isFalse();
  }
}
