package io.mtlstream.train.balance;

import java.util.Objects;

/**
 * Settings of every balancer {@link Balancers} can create; each balancer reads only its own part.
 * Immutable; validated on construction.
 *
 * @param gradNorm settings of {@code gradnorm} (α, weight lr and optimizer, wMin, reference
 *     strategy, stuck-task masking)
 * @param uncertaintyLr Adam learning rate of {@code uncertainty}'s log-variances
 * @param dwaWindow k of {@code dwa}: recent losses compared with the k before them
 * @param dwaTemperature softmax temperature of {@code dwa}
 */
public record BalancerSettings(
    GradNormSettings gradNorm, double uncertaintyLr, int dwaWindow, double dwaTemperature) {

  public BalancerSettings {
    Objects.requireNonNull(gradNorm, "gradnorm settings");
    if (!(uncertaintyLr > 0) || Double.isInfinite(uncertaintyLr)) {
      throw new IllegalArgumentException("uncertainty lr must be > 0, got " + uncertaintyLr);
    }
    if (dwaWindow < 1) {
      throw new IllegalArgumentException("dwa window must be >= 1, got " + dwaWindow);
    }
    if (!(dwaTemperature > 0) || Double.isInfinite(dwaTemperature)) {
      throw new IllegalArgumentException("dwa temperature must be > 0, got " + dwaTemperature);
    }
  }

  /** {@link GradNormSettings#defaults()}, uncertainty lr 0.025, DWA k = 20 and temperature 2. */
  public static BalancerSettings defaults() {
    return new BalancerSettings(GradNormSettings.defaults(), 0.025, 20, 2.0);
  }

  /** Shorthand for GradNorm's α. */
  public BalancerSettings withAlpha(double alpha) {
    return withGradNorm(gradNorm.withAlpha(alpha));
  }

  /** Shorthand for GradNorm's reference strategy by name, keeping its other parameters. */
  public BalancerSettings withReference(String name) {
    return withGradNorm(gradNorm.withReference(gradNorm.reference().withName(name)));
  }

  public BalancerSettings withGradNorm(GradNormSettings g) {
    return new BalancerSettings(g, uncertaintyLr, dwaWindow, dwaTemperature);
  }

  public BalancerSettings withUncertaintyLr(double lr) {
    return new BalancerSettings(gradNorm, lr, dwaWindow, dwaTemperature);
  }

  public BalancerSettings withDwa(int window, double temperature) {
    return new BalancerSettings(gradNorm, uncertaintyLr, window, temperature);
  }
}
