package io.mtlstream.train.balance;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Tracks, per task, how long the smoothed loss has been flat and how long the weight has kept
 * rising, and derives the mask of {@link StuckTaskSettings}. Owned by one GradNorm balancer; not
 * thread-safe. When disabled it tracks nothing and masks nothing.
 */
final class StuckTaskDetector {

  private final StuckTaskSettings settings;
  private final FadingMeans smoothed;
  private final double[] anchors;
  private final long[] flatSteps;
  private final long[] risingSteps;
  private final boolean[] masked;

  StuckTaskDetector(int taskCount, StuckTaskSettings settings, double fastSteps) {
    this.settings = settings;
    this.smoothed = new FadingMeans(taskCount, fastSteps);
    this.anchors = new double[taskCount];
    Arrays.fill(anchors, Double.NaN);
    this.flatSteps = new long[taskCount];
    this.risingSteps = new long[taskCount];
    this.masked = new boolean[taskCount];
  }

  private StuckTaskDetector(StuckTaskDetector template, FadingMeans smoothed, int t) {
    this.settings = template.settings;
    this.smoothed = smoothed;
    this.anchors = new double[t];
    this.flatSteps = new long[t];
    this.risingSteps = new long[t];
    this.masked = new boolean[t];
  }

  /** Feeds a present task's finite batch loss. */
  void observeLoss(int task, double loss) {
    if (!settings.enabled()) {
      return;
    }
    smoothed.add(task, ReferenceLoss.clampLoss(loss));
    double s = smoothed.mean(task);
    if (Double.isNaN(anchors[task])
        || Math.abs(s - anchors[task]) > settings.tolerance() * anchors[task]) {
      anchors[task] = s;
      flatSteps[task] = 0;
    } else {
      flatSteps[task]++;
    }
  }

  /** Feeds a task's weight before and after an update it took part in. */
  void observeWeight(int task, double before, double after) {
    if (after > before) {
      risingSteps[task]++;
    } else if (after < before) {
      risingSteps[task] = 0;
    }
  }

  /** Recomputes the masks for the next step. */
  void refresh() {
    for (int i = 0; i < masked.length; i++) {
      masked[i] =
          settings.enabled()
              && flatSteps[i] >= settings.flatSteps()
              && risingSteps[i] >= settings.risingSteps();
    }
  }

  boolean masked(int task) {
    return masked[task];
  }

  /**
   * A new detector with these settings whose task j continues task {@code map.oldIndex(j)}
   * (smoothed loss, flat and rising counts, mask); new tasks start untracked and unmasked.
   */
  StuckTaskDetector remap(TaskRemap map) {
    StuckTaskDetector r = new StuckTaskDetector(this, smoothed.remap(map), map.newTaskCount());
    int t = map.newTaskCount();
    System.arraycopy(map.doubles(anchors, Double.NaN), 0, r.anchors, 0, t);
    System.arraycopy(map.longs(flatSteps), 0, r.flatSteps, 0, t);
    System.arraycopy(map.longs(risingSteps), 0, r.risingSteps, 0, t);
    System.arraycopy(map.booleans(masked), 0, r.masked, 0, t);
    return r;
  }

  void write(DataOutput out) throws IOException {
    smoothed.write(out);
    StateIO.writeDoubles(out, anchors);
    StateIO.writeLongs(out, flatSteps);
    StateIO.writeLongs(out, risingSteps);
    StateIO.writeBooleans(out, masked);
  }

  /** Reads what {@link #write} wrote into a new detector with this one's settings. */
  StuckTaskDetector read(DataInput in) throws IOException {
    int t = masked.length;
    StuckTaskDetector r = new StuckTaskDetector(this, smoothed.read(in), t);
    System.arraycopy(StateIO.readDoubles(in, t, "stuck anchors"), 0, r.anchors, 0, t);
    System.arraycopy(StateIO.readLongs(in, t, "stuck flat steps"), 0, r.flatSteps, 0, t);
    System.arraycopy(StateIO.readLongs(in, t, "stuck rising steps"), 0, r.risingSteps, 0, t);
    System.arraycopy(StateIO.readBooleans(in, t, "stuck masks"), 0, r.masked, 0, t);
    return r;
  }
}
