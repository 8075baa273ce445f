package io.mtlstream.train.balance;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Dynamic Weight Average (Liu, Johns, Davison 2019) for a stream: per task a ring buffer of its
 * last 2k batch losses; ratio_i = mean(last k) / mean(previous k) once the buffer is full, else 1;
 * w = T · softmax(ratio / temperature). A task whose loss falls faster gets less weight. As in
 * GradNorm, an absent task keeps its weight and the present tasks share T − Σ_absent w_j through
 * the softmax over the present tasks (with every task present this is exactly T · softmax).
 * Non-finite losses skip the update ({@link #skippedUpdates()}).
 *
 * <p>Owned by one learner thread; not thread-safe.
 */
public final class DwaBalancer implements LossBalancer {

  public static final String NAME = "dwa";
  private static final int VERSION = 1;

  private final int taskCount;
  private final int window;
  private final double temperature;
  private double[] weights;
  private double[][] history;
  private long[] filled;
  private long[] cursor;
  private long skippedUpdates;

  /**
   * @param window k, the number of recent losses compared with the k before them
   * @param temperature softmax temperature (paper: 2)
   */
  public DwaBalancer(int taskCount, int window, double temperature) {
    if (taskCount < 1 || window < 1 || !(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException(
          "dwa needs taskCount >= 1, window >= 1 and a finite temperature > 0; got "
              + taskCount
              + ", "
              + window
              + ", "
              + temperature);
    }
    this.taskCount = taskCount;
    this.window = window;
    this.temperature = temperature;
    this.weights = new double[taskCount];
    Arrays.fill(weights, 1.0);
    this.history = new double[taskCount][2 * window];
    this.filled = new long[taskCount];
    this.cursor = new long[taskCount];
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
    return weights.clone();
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
    boolean any = false;
    for (int i = 0; i < taskCount; i++) {
      if (present[i] && !Double.isFinite(losses[i])) {
        skippedUpdates++;
        return;
      }
      any |= present[i];
    }
    if (!any) {
      return;
    }
    double budget = taskCount;
    double maxLogit = Double.NEGATIVE_INFINITY;
    double[] logits = new double[taskCount];
    for (int i = 0; i < taskCount; i++) {
      if (present[i]) {
        int slot = (int) cursor[i];
        history[i][slot] = ReferenceLoss.clampLoss(losses[i]);
        cursor[i] = (slot + 1) % (2 * window);
        filled[i] = Math.min(filled[i] + 1, 2 * window);
        logits[i] = ratio(i) / temperature;
        maxLogit = Math.max(maxLogit, logits[i]);
      } else {
        budget -= weights[i];
      }
    }
    double sum = 0;
    for (int i = 0; i < taskCount; i++) {
      if (present[i]) {
        // Subtracting the largest logit keeps exp() from overflowing; the softmax is unchanged.
        logits[i] = StrictMath.exp(logits[i] - maxLogit);
        sum += logits[i];
      }
    }
    double[] next = weights.clone();
    for (int i = 0; i < taskCount; i++) {
      if (present[i]) {
        next[i] = budget * logits[i] / sum;
      }
    }
    weights = next;
  }

  /** mean(last k) / mean(previous k) of task i's losses, 1 until 2k losses were seen. */
  private double ratio(int task) {
    if (filled[task] < 2L * window) {
      return 1.0;
    }
    double recent = 0;
    double older = 0;
    int start = (int) cursor[task]; // oldest value once the ring is full
    for (int k = 0; k < window; k++) {
      older += history[task][(start + k) % (2 * window)];
      recent += history[task][(start + window + k) % (2 * window)];
    }
    return recent / older;
  }

  /**
   * Carries each kept task's ring buffer (losses, fill, cursor); new tasks start with an empty one
   * (ratio 1 until 2k losses). Weights as described in {@link LossBalancer#remap}.
   */
  @Override
  public DwaBalancer remap(int[] newToOld) {
    TaskRemap map = TaskRemap.of(newToOld, taskCount);
    var r = new DwaBalancer(map.newTaskCount(), window, temperature);
    r.weights = map.weights(weights, 0.0);
    for (int j = 0; j < map.newTaskCount(); j++) {
      if (!map.isNew(j)) {
        r.history[j] = history[map.oldIndex(j)].clone();
      }
    }
    r.filled = map.longs(filled);
    r.cursor = map.longs(cursor);
    r.skippedUpdates = skippedUpdates;
    return r;
  }

  @Override
  public BalancerReport report() {
    return BalancerReport.weightsOnly(weights);
  }

  @Override
  public void writeState(DataOutput out) throws IOException {
    StateIO.writeHeader(out, NAME, VERSION, taskCount);
    out.writeLong(window);
    StateIO.writeDoubles(out, weights);
    for (double[] h : history) {
      StateIO.writeDoubles(out, h);
    }
    StateIO.writeLongs(out, filled);
    StateIO.writeLongs(out, cursor);
    out.writeLong(skippedUpdates);
  }

  @Override
  public void readState(DataInput in) throws IOException {
    StateIO.readHeader(in, NAME, VERSION, taskCount);
    StateIO.expectSetting(in, NAME, "window", window);
    double[] w = StateIO.readDoubles(in, taskCount, "weights");
    double[][] h = new double[taskCount][];
    for (int i = 0; i < taskCount; i++) {
      h[i] = StateIO.readDoubles(in, 2 * window, "loss history");
    }
    long[] f = StateIO.readLongs(in, taskCount, "history fill");
    long[] c = StateIO.readLongs(in, taskCount, "history cursor");
    for (int i = 0; i < taskCount; i++) {
      if (f[i] < 0 || f[i] > 2L * window || c[i] < 0 || c[i] >= 2L * window) {
        throw new IOException("corrupt dwa state: ring position out of range for task " + i);
      }
    }
    long skipped = in.readLong();
    weights = w;
    history = h;
    filled = f;
    cursor = c;
    skippedUpdates = skipped;
  }
}
