package io.mtlstream.train.balance;

/**
 * What one accepted training step observed, per task index. Absent tasks (no rows in the batch)
 * have {@code present[i] == false} and NaN in the other arrays.
 *
 * @param present whether task i had rows in the batch
 * @param losses the unweighted task loss L_i of the batch (finite where present)
 * @param gradNorms n_i = ‖∇_W L_i‖₂ at the last shared layer's weight; NaN when the balancer does
 *     not need them
 * @param baselineLosses the loss of the best constant predictor for task i under the running label
 *     statistics (label variance, prior entropy); NaN while unknown
 */
public record BalanceInput(
    boolean[] present, double[] losses, double[] gradNorms, double[] baselineLosses) {

  public BalanceInput {
    int t = present.length;
    if (losses.length != t || gradNorms.length != t || baselineLosses.length != t) {
      throw new IllegalArgumentException("all per-task arrays must have length " + t);
    }
    present = present.clone();
    losses = losses.clone();
    gradNorms = gradNorms.clone();
    baselineLosses = baselineLosses.clone();
  }

  public int taskCount() {
    return present.length;
  }

  @Override
  public boolean[] present() {
    return present.clone();
  }

  @Override
  public double[] losses() {
    return losses.clone();
  }

  @Override
  public double[] gradNorms() {
    return gradNorms.clone();
  }

  @Override
  public double[] baselineLosses() {
    return baselineLosses.clone();
  }
}
