package io.mtlstream.train.balance;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Option D (the default): R_i is the loss of the best constant predictor under the running label
 * statistics — label variance for squared error, entropy of the positive rate or class prior for
 * cross-entropy — as passed in {@link BalanceInput#baselineLosses()}. Established with the first
 * finite value; afterwards it tracks the latest finite value, and a NaN (statistics not yet known,
 * task absent) keeps the previous one. See {@link ReferenceLosses} for why this is the default.
 *
 * <p>Owned by one balancer; not thread-safe.
 */
public final class BaselineReference implements ReferenceLoss {

  static final String TAG = "reference.baseline";
  private static final int VERSION = 1;

  private final int taskCount;
  private double[] refs;

  BaselineReference(int taskCount) {
    this.taskCount = taskCount;
    this.refs = new double[taskCount];
    Arrays.fill(refs, Double.NaN);
  }

  @Override
  public String name() {
    return ReferenceLosses.BASELINE;
  }

  @Override
  public int taskCount() {
    return taskCount;
  }

  @Override
  public void observe(int task, double loss, double baselineLoss) {
    if (Double.isFinite(baselineLoss)) {
      refs[task] = ReferenceLoss.clampLoss(baselineLoss);
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

  @Override
  public BaselineReference remap(int[] newToOld) {
    TaskRemap map = TaskRemap.of(newToOld, taskCount);
    var r = new BaselineReference(map.newTaskCount());
    r.refs = map.doubles(refs, Double.NaN);
    return r;
  }

  @Override
  public void writeState(DataOutput out) throws IOException {
    StateIO.writeHeader(out, TAG, VERSION, taskCount);
    StateIO.writeDoubles(out, refs);
  }

  @Override
  public void readState(DataInput in) throws IOException {
    StateIO.readHeader(in, TAG, VERSION, taskCount);
    refs = StateIO.readDoubles(in, taskCount, "baseline references");
  }
}
