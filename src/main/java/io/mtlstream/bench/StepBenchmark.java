package io.mtlstream.bench;

import io.mtlstream.train.Activation;
import io.mtlstream.train.LearnerSettings;
import io.mtlstream.train.MiniBatch;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.MultiTaskLearner;
import io.mtlstream.train.TaskSpec;
import io.mtlstream.train.nn.TrainingStep;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Times the training step of several variants side by side in one process: each round runs a burst
 * of steps of every variant in turn (starting one variant later each round, so none always runs
 * first), and the per-variant figure is the median over rounds, so slow drifts of the machine
 * (frequency, other load) hit all variants alike. The ratio to the first variant is paired: the
 * median of the per-round ratios, which cancels drift between rounds that the ratio of two medians
 * keeps. Batches are pre-generated; only {@link MultiTaskLearner#step} is timed.
 */
public final class StepBenchmark {

  /** A timed configuration: a balancer and, for GradNorm, how its norms are computed. */
  public record Variant(String label, String balancer, TrainingStep.NormMethod normMethod) {}

  /**
   * Median milliseconds per step, events per second and achieved matmul GFLOP/s of a variant, and
   * its paired ratio to the first variant ({@link #pairedRatio}; 1 for the first itself).
   */
  public record Timing(
      String label, double msPerStep, double eventsPerSecond, double gflops, double ratio) {}

  /**
   * @param inputs features per event
   * @param trunk trunk widths
   * @param tasks task count (cycling regression, binary, 5-class multiclass)
   * @param tower tower width per task
   * @param batch events per step, split evenly over tasks
   * @param device {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}, as {@code mtl.device}
   */
  public record Config(
      int inputs,
      int[] trunk,
      int tasks,
      int tower,
      int batch,
      int warmup,
      int rounds,
      int burst,
      String device) {

    /** DESIGN's reference model: input 64, trunk 256-256, 3 tasks, towers 64, batch 256. */
    public static Config reference() {
      return new Config(64, new int[] {256, 256}, 3, 64, 256, 50, 15, 20, "cpu");
    }

    public Config withBatch(int value) {
      return new Config(inputs, trunk, tasks, tower, value, warmup, rounds, burst, device);
    }

    public Config withDevice(String value) {
      return new Config(inputs, trunk, tasks, tower, batch, warmup, rounds, burst, value);
    }

    public Config withRounds(int warmupSteps, int roundCount, int burstSteps) {
      return new Config(
          inputs, trunk, tasks, tower, batch, warmupSteps, roundCount, burstSteps, device);
    }

    ModelSpec model() {
      List<TaskSpec> specs = new ArrayList<>();
      for (int t = 0; t < tasks; t++) {
        specs.add(
            switch (t % 3) {
              case 0 -> TaskSpec.regression("reg" + t, 1, tower);
              case 1 -> TaskSpec.binary("bin" + t, tower);
              default -> TaskSpec.multiclass("cls" + t, 5, tower);
            });
      }
      return new ModelSpec(inputs, trunk, Activation.RELU, specs);
    }
  }

  public static final List<Variant> STANDARD =
      List.of(
          new Variant("equal", "equal", TrainingStep.NormMethod.ONE_PASS),
          new Variant("gradnorm", "gradnorm", TrainingStep.NormMethod.ONE_PASS),
          new Variant("gradnorm-naive", "gradnorm", TrainingStep.NormMethod.PER_TASK_BACKWARD));

  private StepBenchmark() {}

  public static Map<String, Timing> run(Config config, List<Variant> variants) {
    ModelSpec spec = config.model();
    List<MiniBatch> pool = batches(spec, config.batch(), 8, new SplittableRandom(7));
    List<MultiTaskLearner> learners = new ArrayList<>();
    try {
      for (Variant v : variants) {
        learners.add(
            MultiTaskLearner.create(
                LearnerSettings.defaults(spec)
                    .withDevice(config.device())
                    .withBalancer(v.balancer())
                    .withNormMethod(v.normMethod())));
      }
      for (MultiTaskLearner learner : learners) {
        steps(learner, pool, config.warmup());
      }
      double[][] ms = new double[variants.size()][config.rounds()];
      for (int r = 0; r < config.rounds(); r++) {
        for (int k = 0; k < variants.size(); k++) {
          int v = (r + k) % variants.size();
          long start = System.nanoTime();
          steps(learners.get(v), pool, config.burst());
          ms[v][r] = (System.nanoTime() - start) / 1e6 / config.burst();
        }
      }
      Map<String, Timing> out = new LinkedHashMap<>();
      double flops = StepFlops.of(spec, pool.get(0));
      for (int v = 0; v < variants.size(); v++) {
        double median = median(ms[v]);
        out.put(
            variants.get(v).label(),
            new Timing(
                variants.get(v).label(),
                median,
                config.batch() / (median / 1000),
                flops / (median / 1000) / 1e9,
                pairedRatio(ms[v], ms[0])));
      }
      return out;
    } finally {
      learners.forEach(MultiTaskLearner::close);
    }
  }

  private static void steps(MultiTaskLearner learner, List<MiniBatch> pool, int n) {
    for (int i = 0; i < n; i++) {
      learner.step(pool.get(i % pool.size()));
    }
  }

  static List<MiniBatch> batches(ModelSpec spec, int batch, int count, SplittableRandom random) {
    int tasks = spec.taskCount();
    int[] rows = new int[tasks];
    for (int t = 0; t < tasks; t++) {
      rows[t] = batch / tasks + (t < batch % tasks ? 1 : 0);
    }
    List<MiniBatch> out = new ArrayList<>();
    for (int b = 0; b < count; b++) {
      out.add(RandomBatches.of(spec, random, rows));
    }
    return out;
  }

  /**
   * Median over rounds of {@code ms[r] / base[r]}: each round's ratio of two neighbouring bursts.
   */
  static double pairedRatio(double[] ms, double[] base) {
    if (ms.length != base.length || ms.length == 0) {
      throw new IllegalArgumentException("paired ratio needs the same, non-zero number of rounds");
    }
    double[] ratios = new double[ms.length];
    for (int r = 0; r < ms.length; r++) {
      ratios[r] = ms[r] / base[r];
    }
    return median(ratios);
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
