package io.mtlstream.train.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;
import java.util.List;

/**
 * Per-block norms of the shared weight's gradient through Gram matrices, for batches too small for
 * per-block products to pay: ‖G_iᵀ H_i‖²_F = Σ_{r,s ∈ block i} (g_r·g_s)(h_r·h_s), with G the rows
 * of ∂L/∂pre and H the shared layer's input. The device forms the pair matrix P = (G Gᵀ) ⊙ (H Hᵀ)
 * in three native calls whatever the task count (autograd forms the weight's gradient itself); the
 * host then sums each block's diagonal square of P, which at most 128² values (the crossover,
 * below) makes cheaper than the half dozen further native calls a device-side block sum takes
 * (membership matrix, product, mask, sum, clamp, root).
 */
final class GramNorms {

  private GramNorms() {}

  /**
   * Whether the Gram form costs fewer multiply-adds than the per-block products: B²·(out + in)
   * against B·out·in, i.e. for batches below out·in / (out + in) rows (128 for a 256×256 layer).
   */
  static boolean pays(int rows, ParameterLayout.Dense shared) {
    return (long) rows * (shared.out() + shared.in()) < (long) shared.out() * shared.in();
  }

  /**
   * P = (G Gᵀ) ⊙ (H Hᵀ), [rows, rows]. {@code linear(A, A)} is A Aᵀ in one native call, where
   * {@code matMul} needs a transpose first.
   */
  static NDArray pairs(NDArray gradPre, NDArray h) {
    return Linear.linear(gradPre, gradPre)
        .singletonOrThrow()
        .muli(Linear.linear(h, h).singletonOrThrow());
  }

  /**
   * The norm of each block from P's values read to the host, row-major: blocks take consecutive
   * rows, {@code blockRows.get(b)} of them for block b.
   */
  static double[] blockNorms(float[] values, List<Integer> blockRows) {
    int rows = blockRows.stream().mapToInt(Integer::intValue).sum();
    if (values.length != (long) rows * rows) {
      throw new IllegalArgumentException(
          values.length + " pair values for " + rows + " rows, expected rows²");
    }
    double[] norms = new double[blockRows.size()];
    int start = 0;
    for (int b = 0; b < norms.length; b++) {
      int end = start + blockRows.get(b);
      double sum = 0;
      for (int r = start; r < end; r++) {
        int at = r * rows;
        for (int s = start; s < end; s++) {
          sum += values[at + s];
        }
      }
      // Rounding can leave a tiny negative where the true norm is 0.
      norms[b] = Math.sqrt(Math.max(0, sum));
      start = end;
    }
    return norms;
  }
}
