package io.mtlstream.train.balance;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Option C: R_i is the maximum of the task's fast-EMA loss over its last {@code windowSteps}
 * batches. It rises with the loss at once (the current smoothed loss is in the window) and falls
 * only after a high loss has slid out of the window, so learning progress shows in L̃ for up to a
 * window, and a downward scale drift is followed after one window. Established after K batches.
 * Memory is bounded by the window (a monotonic deque per task).
 *
 * <p>Owned by one balancer; not thread-safe.
 */
public final class WindowMaxReference implements ReferenceLoss {

  static final String TAG = "reference.max";
  private static final int VERSION = 1;

  private final int taskCount;
  private final int batches;
  private final int window;
  private FadingMeans fast;
  private SlidingMax[] maxima;

  WindowMaxReference(int taskCount, int batches, double fastSteps, int window) {
    this(taskCount, batches, window, new FadingMeans(taskCount, fastSteps));
  }

  /** Starts every task's window empty. */
  private WindowMaxReference(int taskCount, int batches, int window, FadingMeans fast) {
    this.taskCount = taskCount;
    this.batches = batches;
    this.window = window;
    this.fast = fast;
    this.maxima = new SlidingMax[taskCount];
    for (int i = 0; i < taskCount; i++) {
      maxima[i] = new SlidingMax(window);
    }
  }

  @Override
  public String name() {
    return ReferenceLosses.MAX;
  }

  @Override
  public int taskCount() {
    return taskCount;
  }

  @Override
  public void observe(int task, double loss, double baselineLoss) {
    fast.add(task, ReferenceLoss.clampLoss(loss));
    maxima[task].push(fast.mean(task));
  }

  @Override
  public boolean established(int task) {
    return fast.count(task) >= batches;
  }

  @Override
  public double reference(int task) {
    return established(task) ? ReferenceLoss.clampLoss(maxima[task].max()) : Double.NaN;
  }

  @Override
  public WindowMaxReference remap(int[] newToOld) {
    TaskRemap map = TaskRemap.of(newToOld, taskCount);
    var r = new WindowMaxReference(map.newTaskCount(), batches, window, fast.remap(map));
    for (int j = 0; j < map.newTaskCount(); j++) {
      if (!map.isNew(j)) {
        r.maxima[j] = maxima[map.oldIndex(j)].copy();
      }
    }
    return r;
  }

  @Override
  public void writeState(DataOutput out) throws IOException {
    StateIO.writeHeader(out, TAG, VERSION, taskCount);
    out.writeLong(batches);
    out.writeLong(window);
    fast.write(out);
    for (SlidingMax m : maxima) {
      m.write(out);
    }
  }

  @Override
  public void readState(DataInput in) throws IOException {
    StateIO.readHeader(in, TAG, VERSION, taskCount);
    StateIO.expectSetting(in, TAG, "initialBatches", batches);
    StateIO.expectSetting(in, TAG, "windowSteps", window);
    FadingMeans f = fast.read(in);
    SlidingMax[] m = new SlidingMax[taskCount];
    for (int i = 0; i < taskCount; i++) {
      m[i] = maxima[i].read(in);
    }
    fast = f;
    maxima = m;
  }
}
