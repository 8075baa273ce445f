package io.mtlstream.train.balance;

/**
 * Clamp-and-renormalise of task weights with absent tasks held fixed: afterwards every active
 * weight is ≥ wMin, inactive weights are untouched, and Σ w = total to rounding. Clamping first and
 * scaling second can push a small weight back under wMin, so this solves the constrained problem
 * exactly instead: w_i = max(wMin, s·u_i) with the one scale s that meets the budget (tasks pinned
 * at wMin are found by a few passes, at most one per task). Stateless.
 */
final class WeightNormalizer {

  private WeightNormalizer() {}

  /**
   * Rewrites the active entries of {@code w} in place.
   *
   * @param w proposed weights (active entries may be anything finite), inactive entries final
   * @param total the sum all weights must have (the task count)
   */
  static void apply(double[] w, boolean[] active, double total, double wMin) {
    double budget = total;
    for (int i = 0; i < w.length; i++) {
      if (active[i]) {
        w[i] = Math.max(w[i], wMin);
      } else {
        budget -= w[i];
      }
    }
    boolean[] pinned = new boolean[w.length];
    int pinnedCount = 0;
    double scale = Double.NaN;
    boolean changed = true;
    while (changed) {
      changed = false;
      double freeSum = 0;
      for (int i = 0; i < w.length; i++) {
        if (active[i] && !pinned[i]) {
          freeSum += w[i];
        }
      }
      if (freeSum == 0) {
        break;
      }
      scale = (budget - pinnedCount * wMin) / freeSum;
      for (int i = 0; i < w.length; i++) {
        if (active[i] && !pinned[i] && scale * w[i] < wMin) {
          pinned[i] = true;
          pinnedCount++;
          changed = true;
        }
      }
    }
    int best = -1;
    for (int i = 0; i < w.length; i++) {
      if (active[i]) {
        // All pinned only happens when rounding left the budget a hair under the floor.
        w[i] = pinned[i] ? wMin : scale * w[i];
        best = best < 0 || w[i] > w[best] ? i : best;
      }
    }
    if (best >= 0) {
      // Give the rounding residual to the largest weight, where it cannot break the floor.
      double sum = 0;
      for (double v : w) {
        sum += v;
      }
      double corrected = w[best] + (total - sum);
      if (corrected >= wMin) {
        w[best] = corrected;
      }
    }
  }
}
