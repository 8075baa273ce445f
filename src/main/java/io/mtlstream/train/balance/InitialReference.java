package io.mtlstream.train.balance;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Option A: R_i is the mean of the task's first K batch losses, then frozen — the streaming reading
 * of the paper's L_i(0).
 *
 * <p>Re-anchoring is <b>upward only</b>: when the fast EMA of the loss has stayed above {@code
 * reanchorFactor × R_i} for one fast time constant in a row, R_i becomes that fast EMA (counted in
 * {@link #reanchors}). A loss far <em>below</em> R is exactly what learning produces — the whole
 * point of L̃ = L/R is to measure how far each task has come — so re-anchoring downward would erase
 * the training-rate signal GradNorm balances and could not tell learning from drift. A loss far
 * <em>above</em> its warm-up level, sustained, cannot come from learning: the task's label scale or
 * difficulty has drifted, and without re-anchoring L̃_i would explode and the drifted task would
 * take all the weight. The persistence requirement keeps a single outlier batch from re-anchoring.
 *
 * <p>Owned by one balancer; not thread-safe.
 */
public final class InitialReference implements ReferenceLoss {

  static final String TAG = "reference.initial";
  private static final int VERSION = 1;

  private final int taskCount;
  private final int batches;
  private final double reanchorFactor;
  private final double fastSteps;
  private final long patience;
  private FadingMeans fast;
  private double[] warmSums;
  private double[] refs;
  private long[] stepsAbove;
  private long[] reanchors;

  InitialReference(int taskCount, int batches, double reanchorFactor, double fastSteps) {
    this.taskCount = taskCount;
    this.batches = batches;
    this.reanchorFactor = reanchorFactor;
    this.fastSteps = fastSteps;
    this.patience = (long) Math.ceil(fastSteps);
    this.fast = new FadingMeans(taskCount, fastSteps);
    this.warmSums = new double[taskCount];
    this.refs = new double[taskCount];
    Arrays.fill(refs, Double.NaN);
    this.stepsAbove = new long[taskCount];
    this.reanchors = new long[taskCount];
  }

  @Override
  public String name() {
    return ReferenceLosses.INITIAL;
  }

  @Override
  public int taskCount() {
    return taskCount;
  }

  @Override
  public void observe(int task, double loss, double baselineLoss) {
    double l = ReferenceLoss.clampLoss(loss);
    fast.add(task, l);
    if (fast.count(task) <= batches) {
      warmSums[task] += l;
      if (fast.count(task) == batches) {
        refs[task] = ReferenceLoss.clampLoss(warmSums[task] / batches);
      }
      return;
    }
    if (reanchorFactor <= 0) {
      return;
    }
    double smoothed = fast.mean(task);
    if (smoothed > reanchorFactor * refs[task]) {
      if (++stepsAbove[task] >= patience) {
        refs[task] = smoothed;
        reanchors[task]++;
        stepsAbove[task] = 0;
      }
    } else {
      stepsAbove[task] = 0;
    }
  }

  @Override
  public boolean established(int task) {
    return !Double.isNaN(refs[task]);
  }

  @Override
  public double reference(int task) {
    return refs[task];
  }

  /** How often task's reference was re-anchored upward. */
  public long reanchors(int task) {
    return reanchors[task];
  }

  @Override
  public InitialReference remap(int[] newToOld) {
    TaskRemap map = TaskRemap.of(newToOld, taskCount);
    var r = new InitialReference(map.newTaskCount(), batches, reanchorFactor, fastSteps);
    r.fast = fast.remap(map);
    r.warmSums = map.doubles(warmSums, 0.0);
    r.refs = map.doubles(refs, Double.NaN);
    r.stepsAbove = map.longs(stepsAbove);
    r.reanchors = map.longs(reanchors);
    return r;
  }

  @Override
  public void writeState(DataOutput out) throws IOException {
    StateIO.writeHeader(out, TAG, VERSION, taskCount);
    out.writeLong(batches);
    fast.write(out);
    StateIO.writeDoubles(out, warmSums);
    StateIO.writeDoubles(out, refs);
    StateIO.writeLongs(out, stepsAbove);
    StateIO.writeLongs(out, reanchors);
  }

  @Override
  public void readState(DataInput in) throws IOException {
    StateIO.readHeader(in, TAG, VERSION, taskCount);
    StateIO.expectSetting(in, TAG, "initialBatches", batches);
    FadingMeans f = fast.read(in);
    double[] w = StateIO.readDoubles(in, taskCount, "warm-up sums");
    double[] r = StateIO.readDoubles(in, taskCount, "references");
    long[] above = StateIO.readLongs(in, taskCount, "steps above");
    long[] re = StateIO.readLongs(in, taskCount, "re-anchor counts");
    fast = f;
    warmSums = w;
    refs = r;
    stepsAbove = above;
    reanchors = re;
  }
}
