package io.mtlstream.train.balance;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * One bias-corrected exponential moving average per task, with a time constant in the task's own
 * observations: after a step change the mean has covered 1 − 1/e of it after {@code horizon}
 * observations. Keeping the decayed weight sum next to the decayed value sum divides out the
 * start-up bias (a plain EMA started at 0 would under-estimate for the first few horizons), so the
 * mean of a single observation is that observation. Owned by one balancer; not thread-safe.
 */
final class FadingMeans {

  private final double horizon;
  private final double decay;
  private final double[] sums;
  private final double[] weights;
  private final long[] counts;

  FadingMeans(int taskCount, double horizon) {
    if (!(horizon >= 1) || Double.isInfinite(horizon)) {
      throw new IllegalArgumentException("an EMA horizon must be >= 1 step, got " + horizon);
    }
    this.horizon = horizon;
    this.decay = 1.0 - 1.0 / horizon;
    this.sums = new double[taskCount];
    this.weights = new double[taskCount];
    this.counts = new long[taskCount];
  }

  void add(int task, double value) {
    sums[task] = decay * sums[task] + value;
    weights[task] = decay * weights[task] + 1.0;
    counts[task]++;
  }

  /** The bias-corrected mean, NaN before the first observation. */
  double mean(int task) {
    return counts[task] == 0 ? Double.NaN : sums[task] / weights[task];
  }

  long count(int task) {
    return counts[task];
  }

  /** A new instance whose task j continues task {@code map.oldIndex(j)}; new tasks are empty. */
  FadingMeans remap(TaskRemap map) {
    FadingMeans r = new FadingMeans(map.newTaskCount(), horizon);
    copy(map.doubles(sums, 0.0), r.sums);
    copy(map.doubles(weights, 0.0), r.weights);
    System.arraycopy(map.longs(counts), 0, r.counts, 0, r.counts.length);
    return r;
  }

  void write(DataOutput out) throws IOException {
    StateIO.writeDoubles(out, sums);
    StateIO.writeDoubles(out, weights);
    StateIO.writeLongs(out, counts);
  }

  /** Reads what {@link #write} wrote into a new instance with this one's horizon. */
  FadingMeans read(DataInput in) throws IOException {
    int t = counts.length;
    FadingMeans restored = new FadingMeans(t, horizon);
    copy(StateIO.readDoubles(in, t, "EMA sums"), restored.sums);
    copy(StateIO.readDoubles(in, t, "EMA weights"), restored.weights);
    long[] c = StateIO.readLongs(in, t, "EMA counts");
    System.arraycopy(c, 0, restored.counts, 0, t);
    return restored;
  }

  private static void copy(double[] from, double[] to) {
    System.arraycopy(from, 0, to, 0, to.length);
  }
}
