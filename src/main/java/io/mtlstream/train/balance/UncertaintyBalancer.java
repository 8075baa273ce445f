package io.mtlstream.train.balance;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Uncertainty weighting (Kendall, Gal, Cipolla 2018): the network loss is Σ ½(e^{−s_i} L_i + s_i)
 * with a learned log-variance s_i per task, so the weights are w_i = ½ e^{−s_i} (the ½ s_i term has
 * no gradient in the network). s_i starts at 0 and takes one step of its own Adam per update on
 * ∂/∂s_i = ½(1 − e^{−s_i} L_i), present tasks only; for a constant loss L it settles at s = log L,
 * i.e. w = 1/(2L). The weights do not sum to T: this scheme rescales the total loss by design.
 * Non-finite losses skip the update ({@link #skippedUpdates()}).
 *
 * <p>Owned by one learner thread; not thread-safe.
 */
public final class UncertaintyBalancer implements LossBalancer {

  public static final String NAME = "uncertainty";
  private static final int VERSION = 1;

  private final int taskCount;
  private final double learningRate;
  private double[] logVariances;
  private WeightOptimizer optimizer;
  private long skippedUpdates;

  public UncertaintyBalancer(int taskCount, double learningRate) {
    if (taskCount < 1) {
      throw new IllegalArgumentException("taskCount must be >= 1, got " + taskCount);
    }
    this.taskCount = taskCount;
    this.learningRate = learningRate;
    this.logVariances = new double[taskCount];
    this.optimizer = new WeightOptimizer(WeightOptimizer.Kind.ADAM, learningRate, taskCount);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int taskCount() {
    return taskCount;
  }

  @Override
  public boolean needsGradientNorms() {
    return false;
  }

  @Override
  public double[] weights() {
    double[] w = new double[taskCount];
    for (int i = 0; i < taskCount; i++) {
      w[i] = 0.5 * StrictMath.exp(-logVariances[i]);
    }
    return w;
  }

  /** The learned s_i = log σ_i² (a copy). */
  public double[] logVariances() {
    return logVariances.clone();
  }

  public double learningRate() {
    return learningRate;
  }

  public long skippedUpdates() {
    return skippedUpdates;
  }

  @Override
  public void update(BalanceInput input) {
    if (input.taskCount() != taskCount) {
      throw new IllegalArgumentException(
          "balance input has " + input.taskCount() + " tasks, balancer has " + taskCount);
    }
    boolean[] present = input.present();
    double[] losses = input.losses();
    for (int i = 0; i < taskCount; i++) {
      if (present[i] && !Double.isFinite(losses[i])) {
        skippedUpdates++;
        return;
      }
    }
    for (int i = 0; i < taskCount; i++) {
      if (present[i]) {
        double l = ReferenceLoss.clampLoss(losses[i]);
        double grad = 0.5 * (1 - StrictMath.exp(-logVariances[i]) * l);
        logVariances[i] = optimizer.step(i, logVariances[i], grad);
      }
    }
  }

  /** Carries s_i, its Adam moments and step count per kept task; new tasks start at s = 0. */
  @Override
  public UncertaintyBalancer remap(int[] newToOld) {
    TaskRemap map = TaskRemap.of(newToOld, taskCount);
    var r = new UncertaintyBalancer(map.newTaskCount(), learningRate);
    r.logVariances = map.doubles(logVariances, 0.0);
    r.optimizer = optimizer.remap(map);
    r.skippedUpdates = skippedUpdates;
    return r;
  }

  @Override
  public BalancerReport report() {
    return BalancerReport.weightsOnly(weights());
  }

  @Override
  public void writeState(DataOutput out) throws IOException {
    StateIO.writeHeader(out, NAME, VERSION, taskCount);
    StateIO.writeDoubles(out, logVariances);
    out.writeLong(skippedUpdates);
    optimizer.write(out);
  }

  @Override
  public void readState(DataInput in) throws IOException {
    StateIO.readHeader(in, NAME, VERSION, taskCount);
    double[] s = StateIO.readDoubles(in, taskCount, "log-variances");
    for (double v : s) {
      if (!Double.isFinite(v)) {
        throw new IOException("corrupt uncertainty state: log-variance " + v);
      }
    }
    long skipped = in.readLong();
    WeightOptimizer o = optimizer.read(in);
    logVariances = s;
    skippedUpdates = skipped;
    optimizer = o;
  }
}
