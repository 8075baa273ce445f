package io.mtlstream.train;

import io.mtlstream.train.balance.BalancerSettings;
import io.mtlstream.train.nn.TrainingStep;
import java.util.Objects;

/**
 * Everything that decides how a learner trains. Two learners with equal settings fed the same
 * batches produce the same parameters (given a fixed native thread count).
 *
 * @param model the network architecture and tasks
 * @param optimizer the network optimizer
 * @param balancer balancer name ({@code gradnorm}, {@code equal}, {@code uncertainty}, {@code dwa})
 * @param balancing the balancers' parameters
 * @param seed initial-parameter seed
 * @param device {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
 * @param normMethod how GradNorm's per-task norms are computed (one trunk pass unless benchmarking)
 * @param labelHorizon events over which running label statistics fade (for reference losses)
 * @param allowTaskRemoval whether restoring a saved learner may drop tasks the configuration no
 *     longer lists (their trained towers are discarded); adding tasks is always allowed
 */
public record LearnerSettings(
    ModelSpec model,
    OptimizerSettings optimizer,
    String balancer,
    BalancerSettings balancing,
    long seed,
    String device,
    TrainingStep.NormMethod normMethod,
    int labelHorizon,
    boolean allowTaskRemoval) {

  public LearnerSettings {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(balancer, "balancer");
    Objects.requireNonNull(balancing, "balancing");
    Objects.requireNonNull(normMethod, "normMethod");
    device = device == null ? "auto" : device;
    if (labelHorizon < 1) {
      throw new IllegalArgumentException("label horizon must be >= 1 event");
    }
  }

  /** GradNorm with the default balancing settings, Adam at 1e-3, CPU, seed 0. */
  public static LearnerSettings defaults(ModelSpec model) {
    return new LearnerSettings(
        model,
        OptimizerSettings.adam(1e-3),
        "gradnorm",
        BalancerSettings.defaults(),
        0L,
        "cpu",
        TrainingStep.NormMethod.ONE_PASS,
        10_000,
        false);
  }

  public LearnerSettings withBalancer(String name) {
    return new LearnerSettings(
        model,
        optimizer,
        name,
        balancing,
        seed,
        device,
        normMethod,
        labelHorizon,
        allowTaskRemoval);
  }

  public LearnerSettings withBalancing(BalancerSettings value) {
    return new LearnerSettings(
        model,
        optimizer,
        balancer,
        value,
        seed,
        device,
        normMethod,
        labelHorizon,
        allowTaskRemoval);
  }

  public LearnerSettings withOptimizer(OptimizerSettings value) {
    return new LearnerSettings(
        model,
        value,
        balancer,
        balancing,
        seed,
        device,
        normMethod,
        labelHorizon,
        allowTaskRemoval);
  }

  public LearnerSettings withSeed(long value) {
    return new LearnerSettings(
        model,
        optimizer,
        balancer,
        balancing,
        value,
        device,
        normMethod,
        labelHorizon,
        allowTaskRemoval);
  }

  public LearnerSettings withDevice(String value) {
    return new LearnerSettings(
        model,
        optimizer,
        balancer,
        balancing,
        seed,
        value,
        normMethod,
        labelHorizon,
        allowTaskRemoval);
  }

  public LearnerSettings withModel(ModelSpec value) {
    return new LearnerSettings(
        value,
        optimizer,
        balancer,
        balancing,
        seed,
        device,
        normMethod,
        labelHorizon,
        allowTaskRemoval);
  }

  public LearnerSettings withTaskRemoval(boolean allowed) {
    return new LearnerSettings(
        model, optimizer, balancer, balancing, seed, device, normMethod, labelHorizon, allowed);
  }

  public LearnerSettings withNormMethod(TrainingStep.NormMethod value) {
    return new LearnerSettings(
        model, optimizer, balancer, balancing, seed, device, value, labelHorizon, allowTaskRemoval);
  }
}
