package io.mtlstream.train.balance;

import java.util.Objects;

/**
 * Settings of {@link GradNormBalancer}. Immutable; validated on construction.
 *
 * @param alpha asymmetry α in [0, 3): how strongly tasks that train slower are pulled up (the paper
 *     found α ≥ 3 unstable)
 * @param weightLr learning rate of the weight optimizer (paper: 0.025)
 * @param optimizer weight optimizer (paper: Adam); SGD reproduces the paper's exact vectors
 * @param wMin floor of every weight, in (0, 1) so that T·wMin ≤ T stays feasible
 * @param reference how R_i is defined
 * @param stuckTasks optional masking of stuck tasks (off by default)
 */
public record GradNormSettings(
    double alpha,
    double weightLr,
    WeightOptimizer.Kind optimizer,
    double wMin,
    ReferenceSettings reference,
    StuckTaskSettings stuckTasks) {

  public GradNormSettings {
    if (!(alpha >= 0 && alpha < 3)) {
      throw new IllegalArgumentException(
          "gradnorm alpha must be in [0, 3) (alpha >= 3 was unstable in the paper), got " + alpha);
    }
    if (!(weightLr > 0) || Double.isInfinite(weightLr)) {
      throw new IllegalArgumentException("gradnorm weight lr must be > 0, got " + weightLr);
    }
    Objects.requireNonNull(optimizer, "weight optimizer");
    if (!(wMin > 0 && wMin < 1)) {
      throw new IllegalArgumentException("gradnorm wMin must be in (0, 1), got " + wMin);
    }
    Objects.requireNonNull(reference, "reference settings");
    Objects.requireNonNull(stuckTasks, "stuck-task settings");
  }

  /**
   * α = 1.5 (the paper's value for its real-data experiments; its synthetic toy uses 0.12), Adam
   * with lr 0.025, wMin 1e-3, {@code baseline} references, no stuck-task masking.
   */
  public static GradNormSettings defaults() {
    return new GradNormSettings(
        1.5,
        0.025,
        WeightOptimizer.Kind.ADAM,
        1e-3,
        ReferenceSettings.defaults(),
        StuckTaskSettings.disabled());
  }

  public GradNormSettings withAlpha(double a) {
    return new GradNormSettings(a, weightLr, optimizer, wMin, reference, stuckTasks);
  }

  public GradNormSettings withWeightLr(double lr) {
    return new GradNormSettings(alpha, lr, optimizer, wMin, reference, stuckTasks);
  }

  public GradNormSettings withOptimizer(WeightOptimizer.Kind kind) {
    return new GradNormSettings(alpha, weightLr, kind, wMin, reference, stuckTasks);
  }

  public GradNormSettings withWMin(double floor) {
    return new GradNormSettings(alpha, weightLr, optimizer, floor, reference, stuckTasks);
  }

  public GradNormSettings withReference(ReferenceSettings r) {
    return new GradNormSettings(alpha, weightLr, optimizer, wMin, r, stuckTasks);
  }

  public GradNormSettings withStuckTasks(StuckTaskSettings s) {
    return new GradNormSettings(alpha, weightLr, optimizer, wMin, reference, s);
  }
}
