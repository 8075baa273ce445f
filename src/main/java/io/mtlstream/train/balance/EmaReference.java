package io.mtlstream.train.balance;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Option B: R_i is a slow bias-corrected EMA of the task's batch loss (time constant {@code
 * slowSteps}, default 10,000 batches) and the numerator of L̃_i is a fast one ({@code fastSteps},
 * default 50) instead of the raw batch loss, so that L̃ compares "now" with "the recent long run".
 * It follows drift in both directions within the slow horizon, but it also follows learning: L̃
 * measures recent progress rather than progress since the start. Established after K batches.
 *
 * <p>Owned by one balancer; not thread-safe.
 */
public final class EmaReference implements ReferenceLoss {

  static final String TAG = "reference.ema";
  private static final int VERSION = 1;

  private final int taskCount;
  private final int batches;
  private FadingMeans fast;
  private FadingMeans slow;

  EmaReference(int taskCount, int batches, double fastSteps, double slowSteps) {
    this(
        taskCount,
        batches,
        new FadingMeans(taskCount, fastSteps),
        new FadingMeans(taskCount, slowSteps));
  }

  private EmaReference(int taskCount, int batches, FadingMeans fast, FadingMeans slow) {
    this.taskCount = taskCount;
    this.batches = batches;
    this.fast = fast;
    this.slow = slow;
  }

  @Override
  public String name() {
    return ReferenceLosses.EMA;
  }

  @Override
  public int taskCount() {
    return taskCount;
  }

  @Override
  public void observe(int task, double loss, double baselineLoss) {
    double l = ReferenceLoss.clampLoss(loss);
    fast.add(task, l);
    slow.add(task, l);
  }

  @Override
  public boolean established(int task) {
    return slow.count(task) >= batches;
  }

  @Override
  public double reference(int task) {
    return established(task) ? ReferenceLoss.clampLoss(slow.mean(task)) : Double.NaN;
  }

  /** The fast EMA of the loss, which already includes this step's batch. */
  @Override
  public double current(int task, double batchLoss) {
    return fast.count(task) == 0 ? batchLoss : fast.mean(task);
  }

  @Override
  public EmaReference remap(int[] newToOld) {
    TaskRemap map = TaskRemap.of(newToOld, taskCount);
    return new EmaReference(map.newTaskCount(), batches, fast.remap(map), slow.remap(map));
  }

  @Override
  public void writeState(DataOutput out) throws IOException {
    StateIO.writeHeader(out, TAG, VERSION, taskCount);
    out.writeLong(batches);
    fast.write(out);
    slow.write(out);
  }

  @Override
  public void readState(DataInput in) throws IOException {
    StateIO.readHeader(in, TAG, VERSION, taskCount);
    StateIO.expectSetting(in, TAG, "initialBatches", batches);
    FadingMeans f = fast.read(in);
    FadingMeans s = slow.read(in);
    fast = f;
    slow = s;
  }
}
