package io.mtlstream.train.balance;

/**
 * Optional masking of stuck tasks in GradNorm (paper, Suppl. 7.2): a task whose loss no longer
 * moves while GradNorm keeps raising its weight is not going to learn from more weight, and left
 * alone it would drain weight from the tasks that can. Such a task is <em>masked</em>: treated like
 * an absent task for the weight update (its weight is frozen, it is left out of Ḡ and r) until its
 * smoothed loss moves again. The network still trains on it with the frozen weight.
 *
 * <p>A task is stuck when its smoothed loss (fast EMA) has stayed within ± {@code tolerance}
 * (relative) of one value for {@code flatSteps} of its batches and its weight has risen at every
 * one of its last {@code risingSteps} weight updates (an update that lowers it resets the count).
 *
 * <p>Immutable; validated on construction.
 *
 * @param enabled off by default: masking changes what GradNorm optimises and should be chosen
 */
public record StuckTaskSettings(boolean enabled, int flatSteps, double tolerance, int risingSteps) {

  public StuckTaskSettings {
    if (flatSteps < 1 || risingSteps < 1) {
      throw new IllegalArgumentException(
          "stuck-task flatSteps and risingSteps must be >= 1, got "
              + flatSteps
              + " and "
              + risingSteps);
    }
    if (!(tolerance > 0) || tolerance >= 1) {
      throw new IllegalArgumentException(
          "stuck-task tolerance must be in (0, 1), got " + tolerance);
    }
  }

  /** Masking off (the default). */
  public static StuckTaskSettings disabled() {
    return new StuckTaskSettings(false, 500, 0.01, 500);
  }

  /** Masking on with the given window lengths and relative tolerance. */
  public static StuckTaskSettings enabled(int flatSteps, double tolerance, int risingSteps) {
    return new StuckTaskSettings(true, flatSteps, tolerance, risingSteps);
  }
}
