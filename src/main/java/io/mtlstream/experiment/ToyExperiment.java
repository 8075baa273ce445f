package io.mtlstream.experiment;

import io.mtlstream.train.LearnerSettings;
import io.mtlstream.train.MultiTaskLearner;
import io.mtlstream.train.OptimizerSettings;
import io.mtlstream.train.StepResult;
import io.mtlstream.train.balance.BalancerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * GradNorm's synthetic experiment (Chen et al. 2018, Sec. 4) run through our learner: T regression
 * tasks that differ only in scale σ_i, one network, a balancer; reports the final task weights,
 * w_i·σ_i and the task-normalised test loss Σ_i L_i(t)/L_i(0) on held-out samples. Drift events
 * change a task's σ mid-stream. Stateless; each {@link #run} owns its learner and closes it.
 */
public final class ToyExperiment {

  /** From {@code step} on, task {@code task} has scale {@code sigma}. */
  public record Drift(int step, int task, double sigma) {}

  /**
   * @param sigmas task scales σ_i
   * @param steps training steps
   * @param batch inputs per step (every task is labelled on each)
   * @param testRows held-out inputs for the normalised test loss
   * @param balancing balancer parameters (α, weight learning rate, reference)
   * @param learningRate network Adam learning rate
   * @param drifts scale changes during the run
   * @param traceEvery record the weights every this many steps (0: no trace)
   */
  public record Config(
      double[] sigmas,
      int steps,
      int batch,
      int testRows,
      BalancerSettings balancing,
      double learningRate,
      List<Drift> drifts,
      int traceEvery) {

    public Config {
      sigmas = sigmas.clone();
      drifts = List.copyOf(drifts);
      if (sigmas.length < 2 || steps < 1 || batch < 1 || testRows < 1) {
        throw new IllegalArgumentException("need >= 2 tasks and positive steps, batch, test rows");
      }
    }

    /** The paper's settings: α = 0.12, batch 100, 2,000 test samples, Adam 1e-3, w-lr 0.025. */
    public static Config paper(double[] sigmas, int steps) {
      return new Config(
          sigmas,
          steps,
          100,
          2_000,
          BalancerSettings.defaults().withAlpha(0.12),
          1e-3,
          List.of(),
          0);
    }

    public Config withDrifts(List<Drift> value, int traceEveryStep) {
      return new Config(
          sigmas, steps, batch, testRows, balancing, learningRate, value, traceEveryStep);
    }

    public Config withBalancing(BalancerSettings value) {
      return new Config(sigmas, steps, batch, testRows, value, learningRate, drifts, traceEvery);
    }

    public Config withSize(int newSteps, int newBatch, int newTestRows) {
      return new Config(
          sigmas, newSteps, newBatch, newTestRows, balancing, learningRate, drifts, traceEvery);
    }
  }

  /** One balancer, one seed. */
  public record Run(
      String balancer,
      long seed,
      double[] weights,
      double[] weightsTimesSigma,
      double normalizedTestLoss,
      double[] testLossRatios,
      List<double[]> weightTrace,
      long rejectedSteps) {}

  private ToyExperiment() {}

  public static Run run(Config config, String balancer, long seed) {
    try (ToyTasks tasks = new ToyTasks(config.sigmas(), seed)) {
      LearnerSettings settings =
          LearnerSettings.defaults(tasks.modelSpec())
              .withBalancer(balancer)
              .withBalancing(config.balancing())
              .withOptimizer(OptimizerSettings.adam(config.learningRate()))
              .withSeed(seed);
      SplittableRandom data = new SplittableRandom(seed ^ 0x5DEECE66DL);
      float[] testX = tasks.inputs(new SplittableRandom(~seed), config.testRows());
      try (MultiTaskLearner learner = MultiTaskLearner.create(settings)) {
        double[] initial = testLosses(learner, tasks, testX, config.testRows());
        List<double[]> trace = new ArrayList<>();
        for (int step = 0; step < config.steps(); step++) {
          for (Drift d : config.drifts()) {
            if (d.step() == step) {
              tasks.setSigma(d.task(), d.sigma());
            }
          }
          StepResult r = learner.step(tasks.batch(data, config.batch()));
          if (config.traceEvery() > 0 && step % config.traceEvery() == 0) {
            trace.add(r.weightsUsed());
          }
        }
        double[] finalLosses = testLosses(learner, tasks, testX, config.testRows());
        int t = tasks.taskCount();
        double[] w = learner.weights();
        double[] ws = new double[t];
        double[] ratios = new double[t];
        double total = 0;
        for (int i = 0; i < t; i++) {
          ws[i] = w[i] * tasks.sigma(i);
          ratios[i] = finalLosses[i] / initial[i];
          total += ratios[i];
        }
        long rejected =
            learner.counters().rejectedSteps().values().stream().mapToLong(Long::longValue).sum();
        return new Run(balancer, seed, w, ws, total, ratios, trace, rejected);
      }
    }
  }

  /** Held-out loss per task, with targets from the tasks' current scales. */
  static double[] testLosses(MultiTaskLearner learner, ToyTasks tasks, float[] x, int rows) {
    float[][] y = tasks.targets(x, rows);
    double[] losses = new double[tasks.taskCount()];
    for (int i = 0; i < losses.length; i++) {
      losses[i] = learner.loss(i, x, y[i], rows);
    }
    return losses;
  }
}
