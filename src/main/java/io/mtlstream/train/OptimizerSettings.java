package io.mtlstream.train;

import java.util.Locale;

/**
 * The network optimizer.
 *
 * @param kind Adam or SGD
 * @param learningRate step size (> 0)
 * @param beta1 Adam first-moment decay
 * @param beta2 Adam second-moment decay
 * @param epsilon Adam denominator guard
 * @param momentum SGD momentum (0 = plain SGD)
 * @param clipNorm global gradient-norm limit; the whole gradient is rescaled when its L2 norm
 *     exceeds it (0 disables)
 */
public record OptimizerSettings(
    Kind kind,
    double learningRate,
    double beta1,
    double beta2,
    double epsilon,
    double momentum,
    double clipNorm) {

  public enum Kind {
    ADAM,
    SGD;

    public static Kind parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown optimizer '" + text + "': adam or sgd", e);
      }
    }
  }

  public OptimizerSettings {
    check(learningRate > 0 && Double.isFinite(learningRate), "learning rate must be > 0");
    check(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1)");
    check(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1)");
    check(epsilon > 0, "epsilon must be > 0");
    check(momentum >= 0 && momentum < 1, "momentum must be in [0, 1)");
    check(clipNorm >= 0 && Double.isFinite(clipNorm), "clip norm must be >= 0 (0 disables)");
  }

  public static OptimizerSettings adam(double learningRate) {
    return new OptimizerSettings(Kind.ADAM, learningRate, 0.9, 0.999, 1e-8, 0, 0);
  }

  public static OptimizerSettings sgd(double learningRate, double momentum) {
    return new OptimizerSettings(Kind.SGD, learningRate, 0.9, 0.999, 1e-8, momentum, 0);
  }

  public OptimizerSettings withClipNorm(double limit) {
    return new OptimizerSettings(kind, learningRate, beta1, beta2, epsilon, momentum, limit);
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("optimizer: " + message);
    }
  }
}
