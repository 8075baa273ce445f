package io.mtlstream.train;

import io.mtlstream.train.balance.TaskRemap;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Running, exponentially fading label statistics per task, and from them the loss of the best
 * constant predictor — the {@code baseline} reference of GradNorm (label variance for regression,
 * entropy of the positive rate or the class prior, in nats, for classification).
 *
 * <p>Every event multiplies the weight of older events of its task by 1 − 1/horizon, so an event
 * {@code horizon} events ago counts 1/e as much as the newest. The statistics are weighted means
 * over the decayed weights (the weight sum is kept, not assumed to be 1/(1 − β)), hence unbiased
 * from the first event on. Regression moments use West's weighted update, which stays accurate for
 * labels with a large mean.
 *
 * <p>Owned by the learner thread; not thread-safe. The whole state round-trips through {@link
 * #writeState}/{@link #readState}.
 */
public final class LabelStatistics {

  public static final long DEFAULT_HORIZON_EVENTS = 10_000;
  public static final long DEFAULT_MIN_EVENTS = 100;
  private static final String TAG = "labelstats";
  private static final int VERSION = 1;
  private static final double MIN_PROBABILITY = 1e-6;
  private static final double MIN_FREQUENCY = 1e-12;

  private final ModelSpec spec;
  private final long horizon;
  private final long minEvents;
  private final double decay;
  private final long[] events;
  private final double[] weightSums;

  /** Per task: weighted mean per output (regression), positive rate, or class frequencies. */
  private final double[][] means;

  /** Per task: weighted sum of squared deviations per output (regression only). */
  private final double[][] squares;

  public LabelStatistics(ModelSpec spec) {
    this(spec, DEFAULT_HORIZON_EVENTS, DEFAULT_MIN_EVENTS);
  }

  /** Statistics fading over {@code horizonEvents}, finite after {@value #DEFAULT_MIN_EVENTS}. */
  public LabelStatistics(ModelSpec spec, long horizonEvents) {
    this(spec, horizonEvents, DEFAULT_MIN_EVENTS);
  }

  /**
   * @param horizonEvents time constant of the fading, in events of the task (≥ 1)
   * @param minEvents events a task needs before {@link #constantPredictorLoss} is finite (≥ 1)
   */
  public LabelStatistics(ModelSpec spec, long horizonEvents, long minEvents) {
    if (horizonEvents < 1 || minEvents < 1) {
      throw new IllegalArgumentException(
          "label statistics need horizonEvents >= 1 and minEvents >= 1, got %d and %d"
              .formatted(horizonEvents, minEvents));
    }
    this.spec = spec;
    this.horizon = horizonEvents;
    this.minEvents = minEvents;
    this.decay = 1.0 - 1.0 / horizonEvents;
    int t = spec.taskCount();
    this.events = new long[t];
    this.weightSums = new double[t];
    this.means = new double[t][];
    this.squares = new double[t][];
    for (int i = 0; i < t; i++) {
      TaskSpec task = spec.task(i);
      means[i] = new double[task.type() == TaskType.BINARY ? 1 : task.outputs()];
      squares[i] = new double[task.type() == TaskType.REGRESSION ? task.outputs() : 0];
    }
  }

  /** Observes every block of a batch. */
  public void observe(MiniBatch batch) {
    for (TaskRows block : batch.blocks()) {
      observe(block.task(), block.labelsView(), block.rows());
    }
  }

  /**
   * Observes {@code rows} events of a task, labels row-major with the task's label width. Labels
   * must already be valid (finite; 0/1; class indices in range): an invalid one is a bug upstream
   * and is rejected before any statistic changes.
   */
  public void observe(int task, float[] labels, int rows) {
    TaskSpec t = spec.task(task);
    int width = t.labelWidth();
    if (rows < 0 || labels.length != rows * width) {
      throw new IllegalArgumentException(
          "task '%s': %d labels for %d rows of width %d"
              .formatted(t.name(), labels.length, rows, width));
    }
    for (float label : labels) {
      checkLabel(t, label);
    }
    for (int r = 0; r < rows; r++) {
      weightSums[task] = decay * weightSums[task] + 1.0;
      double share = 1.0 / weightSums[task];
      double[] mean = means[task];
      switch (t.type()) {
        case REGRESSION -> {
          for (int d = 0; d < width; d++) {
            double x = labels[r * width + d];
            double before = x - mean[d];
            mean[d] += share * before;
            squares[task][d] = decay * squares[task][d] + before * (x - mean[d]);
          }
        }
        case BINARY -> mean[0] += share * ((labels[r] >= 0.5f ? 1.0 : 0.0) - mean[0]);
        case MULTICLASS -> {
          int label = (int) labels[r];
          for (int c = 0; c < mean.length; c++) {
            mean[c] += share * ((c == label ? 1.0 : 0.0) - mean[c]);
          }
        }
      }
      events[task]++;
    }
  }

  private static void checkLabel(TaskSpec t, float label) {
    boolean ok =
        switch (t.type()) {
          case REGRESSION -> Float.isFinite(label);
          case BINARY -> label == 0f || label == 1f;
          case MULTICLASS -> label >= 0 && label < t.outputs() && label == Math.rint(label);
        };
    if (!ok) {
      throw new IllegalArgumentException("task '" + t.name() + "': invalid label " + label);
    }
  }

  /**
   * The loss of the best constant predictor under the running statistics, in the units of the
   * task's training loss; NaN until the task has seen {@code minEvents} events.
   */
  public double constantPredictorLoss(int task) {
    if (events[task] < minEvents) {
      return Double.NaN;
    }
    double[] mean = means[task];
    return switch (spec.task(task).type()) {
      case REGRESSION -> {
        double sum = 0;
        for (double s : squares[task]) {
          sum += Math.max(0.0, s / weightSums[task]);
        }
        yield sum / squares[task].length;
      }
      case BINARY -> {
        double p = Math.min(Math.max(mean[0], MIN_PROBABILITY), 1 - MIN_PROBABILITY);
        yield -p * StrictMath.log(p) - (1 - p) * StrictMath.log(1 - p);
      }
      case MULTICLASS -> {
        double total = 0;
        for (double f : mean) {
          total += Math.max(f, MIN_FREQUENCY);
        }
        double h = 0;
        for (double f : mean) {
          double p = Math.max(f, MIN_FREQUENCY) / total;
          h -= p * StrictMath.log(p);
        }
        yield h;
      }
    };
  }

  /** {@link #constantPredictorLoss} of every task, ready for a balance input. */
  public double[] constantPredictorLosses() {
    double[] l = new double[events.length];
    for (int i = 0; i < l.length; i++) {
      l[i] = constantPredictorLoss(i);
    }
    return l;
  }

  /**
   * The running means (a copy): per output for regression, the positive rate for binary, the class
   * frequencies for multiclass; zeros before the first event.
   */
  public double[] runningMeans(int task) {
    return means[task].clone();
  }

  /** Events observed for the task (not faded). */
  public long events(int task) {
    return events[task];
  }

  public long horizonEvents() {
    return horizon;
  }

  public long minEvents() {
    return minEvents;
  }

  /**
   * New statistics for a changed task list, with this instance's horizon and minimum event count;
   * this instance is left unchanged. New task j continues old task {@code newToOld[j]} with its
   * event count and fading moments exactly; {@code -1} marks a new task, which starts empty (NaN
   * baseline until it has seen {@code minEvents} events). A continued task must keep its label
   * layout (type and output count); its name may change.
   *
   * @throws IllegalArgumentException when {@code newToOld} does not have one entry per task of
   *     {@code newSpec}, is not a valid mapping (see {@link TaskRemap#of}), or maps a task onto one
   *     with another label type or width
   */
  public LabelStatistics remap(ModelSpec newSpec, int[] newToOld) {
    TaskRemap map = TaskRemap.of(newToOld, events.length);
    if (map.newTaskCount() != newSpec.taskCount()) {
      throw new IllegalArgumentException(
          "task remapping has %d entries but the new model has %d tasks"
              .formatted(map.newTaskCount(), newSpec.taskCount()));
    }
    var r = new LabelStatistics(newSpec, horizon, minEvents);
    for (int j = 0; j < map.newTaskCount(); j++) {
      if (map.isNew(j)) {
        continue;
      }
      int i = map.oldIndex(j);
      TaskSpec before = spec.task(i);
      TaskSpec after = newSpec.task(j);
      if (before.type() != after.type() || before.outputs() != after.outputs()) {
        throw new IllegalArgumentException(
            ("task %d '%s' (%s) cannot continue the label statistics of old task %d '%s' (%s):"
                    + " the label type or width changed; map it as a new task (-1) instead")
                .formatted(j, after.name(), layout(after), i, before.name(), layout(before)));
      }
      r.events[j] = events[i];
      r.weightSums[j] = weightSums[i];
      r.means[j] = means[i].clone();
      r.squares[j] = squares[i].clone();
    }
    return r;
  }

  private static String layout(TaskSpec t) {
    return switch (t.type()) {
      case REGRESSION -> "regression, " + t.outputs() + " outputs";
      case BINARY -> "binary";
      case MULTICLASS -> "multiclass, " + t.outputs() + " classes";
    };
  }

  public void writeState(DataOutput out) throws IOException {
    out.writeUTF(TAG);
    out.writeByte(VERSION);
    out.writeInt(events.length);
    for (int i = 0; i < events.length; i++) {
      out.writeInt(means[i].length);
      out.writeInt(squares[i].length);
      out.writeLong(events[i]);
      out.writeDouble(weightSums[i]);
      for (double v : means[i]) {
        out.writeDouble(v);
      }
      for (double v : squares[i]) {
        out.writeDouble(v);
      }
    }
  }

  /** Replaces the state with one written for the same task layout; rejects anything else. */
  public void readState(DataInput in) throws IOException {
    String tag = in.readUTF();
    int version = in.readUnsignedByte();
    if (!tag.equals(TAG) || version != VERSION) {
      throw new IOException(
          "not label statistics state of version %d: found '%s' version %d"
              .formatted(VERSION, tag, version));
    }
    int t = in.readInt();
    if (t != events.length) {
      throw new IOException("label statistics for " + t + " tasks, the model has " + events.length);
    }
    long[] e = new long[t];
    double[] w = new double[t];
    double[][] m = new double[t][];
    double[][] s = new double[t][];
    for (int i = 0; i < t; i++) {
      int ml = in.readInt();
      int sl = in.readInt();
      if (ml != means[i].length || sl != squares[i].length) {
        throw new IOException(
            "saved label statistics of task %d do not fit %s".formatted(i, spec.task(i)));
      }
      e[i] = in.readLong();
      w[i] = in.readDouble();
      m[i] = readDoubles(in, ml);
      s[i] = readDoubles(in, sl);
    }
    System.arraycopy(e, 0, events, 0, t);
    System.arraycopy(w, 0, weightSums, 0, t);
    for (int i = 0; i < t; i++) {
      means[i] = m[i];
      squares[i] = s[i];
    }
  }

  private static double[] readDoubles(DataInput in, int n) throws IOException {
    double[] v = new double[n];
    for (int k = 0; k < n; k++) {
      v[k] = in.readDouble();
    }
    return v;
  }
}
