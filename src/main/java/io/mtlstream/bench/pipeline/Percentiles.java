package io.mtlstream.bench.pipeline;

import java.util.Arrays;

/**
 * Nearest-rank percentiles of a sample: the p-th percentile is the smallest value with at least p%
 * of the sample at or below it. Immutable; the values are copied and sorted once.
 */
public final class Percentiles {

  private final long[] sorted;

  public Percentiles(long[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values: percentiles of an empty sample are undefined");
    }
    this.sorted = values.clone();
    Arrays.sort(sorted);
  }

  /** The nearest-rank percentile, {@code 0 < p <= 100}. */
  public long at(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in (0, 100], was " + p);
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  public long max() {
    return sorted[sorted.length - 1];
  }

  public int count() {
    return sorted.length;
  }
}
