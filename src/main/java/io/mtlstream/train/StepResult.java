package io.mtlstream.train;

import io.mtlstream.train.balance.BalancerReport;

/**
 * What one call to {@link MultiTaskLearner#step} did. Per-task arrays are indexed by task and hold
 * NaN for tasks absent from the batch.
 *
 * @param step the learner's accepted-step count after this call
 * @param rejection null if applied; otherwise why the step was rejected (model untouched)
 * @param losses unweighted task losses L_i of the batch
 * @param gradNorms n_i at the last shared layer (NaN when the balancer does not use them)
 * @param weightsUsed the task weights of this step's network update (the old weights)
 * @param balance the balancer's report after its update
 * @param gradientNorm global L2 norm of the gradient before clipping
 * @param clipped whether clipping rescaled the gradient
 * @param outputs per task, the raw outputs (values or logits) the model gave this batch before the
 *     update (test-then-train predictions); null for absent tasks and rejected steps
 */
public record StepResult(
    long step,
    String rejection,
    double[] losses,
    double[] gradNorms,
    double[] weightsUsed,
    BalancerReport balance,
    double gradientNorm,
    boolean clipped,
    float[][] outputs) {

  public StepResult {
    losses = losses.clone();
    gradNorms = gradNorms.clone();
    weightsUsed = weightsUsed.clone();
    outputs = outputs.clone();
  }

  /** Task i's pre-update outputs, row-major (a copy), or null when the task was absent. */
  public float[] outputs(int task) {
    return outputs[task] == null ? null : outputs[task].clone();
  }

  public boolean accepted() {
    return rejection == null;
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
  public double[] weightsUsed() {
    return weightsUsed.clone();
  }
}
