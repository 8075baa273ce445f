package io.mtlstream.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * The machine's practical float32 peak through the same native library the learner uses: the median
 * GFLOP/s of an n×n by n×n matrix product (2n³ flops) over several runs.
 */
public final class MatmulPeak {

  private MatmulPeak() {}

  public static double gflops(int n, int runs) {
    return gflops(n, runs, Device.cpu());
  }

  /** The same on {@code device} (a GPU's peak where one is selected). */
  public static double gflops(int n, int runs, Device device) {
    try (NDManager m = NDManager.newBaseManager(device)) {
      NDArray a = m.randomUniform(-1, 1, new Shape(n, n));
      NDArray b = m.randomUniform(-1, 1, new Shape(n, n));
      for (int i = 0; i < 2; i++) {
        try (NDArray c = a.matMul(b)) {
          c.getFloat(0, 0); // force completion
        }
      }
      double[] rates = new double[runs];
      for (int r = 0; r < runs; r++) {
        long start = System.nanoTime();
        try (NDArray c = a.matMul(b)) {
          c.getFloat(0, 0);
        }
        rates[r] = 2.0 * n * n * n / (System.nanoTime() - start);
      }
      Arrays.sort(rates);
      return rates[runs / 2];
    }
  }
}
