package io.mtlstream.train.balance;

/**
 * Per-task quantities of the last balancer update; NaN where a quantity does not apply (absent
 * task, a balancer without that notion, warm-up).
 *
 * @param weights w_i after the update
 * @param gradNorms n_i
 * @param weightedNorms G_i = w_i n_i (with the weights used in the step)
 * @param targets GradNorm target c_i = Ḡ r_i^α
 * @param inverseRates r_i = L̃_i / mean_j L̃_j
 * @param references R_i, the running reference loss
 * @param gradLoss L_grad = Σ |G_i − c_i|
 * @param warmingUp true while the balancer still holds w = 1 for lack of references
 */
public record BalancerReport(
    double[] weights,
    double[] gradNorms,
    double[] weightedNorms,
    double[] targets,
    double[] inverseRates,
    double[] references,
    double gradLoss,
    boolean warmingUp) {

  public BalancerReport {
    weights = weights.clone();
    gradNorms = gradNorms.clone();
    weightedNorms = weightedNorms.clone();
    targets = targets.clone();
    inverseRates = inverseRates.clone();
    references = references.clone();
  }

  /** A report that carries only weights (for balancers without gradient-norm notions). */
  public static BalancerReport weightsOnly(double[] weights) {
    double[] nan = new double[weights.length];
    java.util.Arrays.fill(nan, Double.NaN);
    return new BalancerReport(weights, nan, nan, nan, nan, nan, Double.NaN, false);
  }

  @Override
  public double[] weights() {
    return weights.clone();
  }

  @Override
  public double[] gradNorms() {
    return gradNorms.clone();
  }

  @Override
  public double[] weightedNorms() {
    return weightedNorms.clone();
  }

  @Override
  public double[] targets() {
    return targets.clone();
  }

  @Override
  public double[] inverseRates() {
    return inverseRates.clone();
  }

  @Override
  public double[] references() {
    return references.clone();
  }
}
