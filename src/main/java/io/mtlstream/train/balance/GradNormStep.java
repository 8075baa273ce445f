package io.mtlstream.train.balance;

/**
 * The closed-form quantities of one GradNorm weight update (docs/DESIGN.md, Algorithm 1 step 4),
 * for the active tasks only; entries of inactive tasks are NaN. A pure function of its inputs so
 * the paper's exact vectors can be checked without a balancer. Arrays are owned by the result (not
 * copied on access: internal, per-step).
 *
 * @param meanWeightedNorm Ḡ = mean of G_i over active tasks
 * @param weightedNorms G_i = w_i n_i with the weights used in the network step
 * @param inverseRates r_i = L̃_i / mean_j L̃_j (the relative inverse training rate, not inverted)
 * @param targets c_i = Ḡ r_i^α, a constant when differentiating
 * @param gradLoss L_grad = Σ |G_i − c_i| (a sum, not a mean)
 * @param weightGradient ∂L_grad/∂w_i = n_i sign(G_i − c_i), sign(0) = 0
 */
record GradNormStep(
    double meanWeightedNorm,
    double[] weightedNorms,
    double[] inverseRates,
    double[] targets,
    double gradLoss,
    double[] weightGradient) {

  static GradNormStep compute(
      double[] norms, double[] weights, double[] relativeLosses, boolean[] active, double alpha) {
    int t = norms.length;
    double[] g = nans(t);
    double[] r = nans(t);
    double[] c = nans(t);
    double[] grad = nans(t);
    int count = 0;
    double sumG = 0;
    double sumL = 0;
    for (int i = 0; i < t; i++) {
      if (active[i]) {
        g[i] = weights[i] * norms[i];
        sumG += g[i];
        sumL += relativeLosses[i];
        count++;
      }
    }
    if (count == 0) {
      throw new IllegalArgumentException("a GradNorm step needs at least one active task");
    }
    double meanG = sumG / count;
    double meanL = sumL / count;
    double gradLoss = 0;
    for (int i = 0; i < t; i++) {
      if (active[i]) {
        r[i] = relativeLosses[i] / meanL;
        c[i] = meanG * StrictMath.pow(r[i], alpha);
        double diff = g[i] - c[i];
        gradLoss += Math.abs(diff);
        grad[i] = norms[i] * Math.signum(diff);
      }
    }
    return new GradNormStep(meanG, g, r, c, gradLoss, grad);
  }

  static double[] nans(int length) {
    double[] a = new double[length];
    java.util.Arrays.fill(a, Double.NaN);
    return a;
  }
}
