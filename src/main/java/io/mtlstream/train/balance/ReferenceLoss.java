package io.mtlstream.train.balance;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The running reference R_i of GradNorm's relative loss L̃_i = current_i / R_i. A stream has no
 * step 0, so the paper's L_i(0) has to be replaced by a strategy; see {@link ReferenceLosses} for
 * the choices and the default.
 *
 * <p>Call order per step: {@link #observe} for every present task with a finite loss, then {@link
 * #reference} and {@link #current} for the tasks being balanced. Implementations are owned by one
 * balancer, are not thread-safe, and round-trip their whole state through {@link
 * #writeState}/{@link #readState}.
 */
public interface ReferenceLoss {

  /** Smallest loss or reference used in a ratio, so that L̃ stays finite and positive. */
  double MIN_LOSS = 1e-12;

  /** Registry name, e.g. {@code baseline}. */
  String name();

  int taskCount();

  /**
   * Feeds one batch of a present task.
   *
   * @param loss the task's finite batch loss
   * @param baselineLoss the constant-predictor loss from the label statistics, NaN while unknown
   */
  void observe(int task, double loss, double baselineLoss);

  /** Whether R_i can be used; once true it stays true. */
  boolean established(int task);

  /** R_i, at least {@link #MIN_LOSS}; NaN while not {@link #established}. */
  double reference(int task);

  /**
   * The loss that goes into the numerator of L̃_i for this step. Strategies that smooth it (the
   * {@code ema} strategy) return their smoothed loss; the others return {@code batchLoss}.
   */
  default double current(int task, double batchLoss) {
    return batchLoss;
  }

  /**
   * A new strategy with these settings over {@code newToOld.length} tasks, this one unchanged: task
   * j continues task {@code newToOld[j]} with all of its state (smoothed losses, warm-up sums,
   * reference, window, counters), so fed the same losses it reports exactly what this one would
   * have; {@code -1} marks a new task, which starts empty and not {@link #established} as in a
   * freshly created strategy.
   *
   * @throws IllegalArgumentException for an invalid mapping (see {@link TaskRemap#of})
   */
  ReferenceLoss remap(int[] newToOld);

  void writeState(DataOutput out) throws IOException;

  /** Replaces the state with one written by {@link #writeState} of the same strategy. */
  void readState(DataInput in) throws IOException;

  /** Clamps a loss away from zero (and maps a negative rounding artefact to the floor). */
  static double clampLoss(double loss) {
    return Math.max(loss, MIN_LOSS);
  }
}
