package io.mtlstream.eval;

import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.TaskSpec;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Prequential (test-then-train) evaluation: the learner's forward pass on a batch happens before
 * the update, so its outputs are honest predictions for events the model has not trained on. This
 * turns them into per-task quality: fading means with a horizon of {@code horizon} events (weight
 * (1 − 1/horizon) per newer event, bias-corrected, so early values are plain means), and AUC over
 * the last {@code aucWindow} events. Part of the learner's exactly-once state. Not thread-safe.
 */
public final class PrequentialEvaluator {

  public static final int DEFAULT_HORIZON = 2_000;
  public static final int DEFAULT_AUC_WINDOW = 2_000;
  private static final int VERSION = 1;

  private final ModelSpec spec;
  private final double decay;
  private final long[] events;
  private final double[][] fading; // per task: weight, loss, accuracy, mae
  private final RecentAuc[] auc;

  public PrequentialEvaluator(ModelSpec spec, int horizon, int aucWindow) {
    if (horizon < 1 || aucWindow < 2) {
      throw new IllegalArgumentException("horizon must be >= 1 and AUC window >= 2");
    }
    this.spec = spec;
    this.decay = 1 - 1.0 / horizon;
    int t = spec.taskCount();
    this.events = new long[t];
    this.fading = new double[t][4];
    this.auc = new RecentAuc[t];
    for (int i = 0; i < t; i++) {
      auc[i] = new RecentAuc(aucWindow);
    }
  }

  /**
   * Scores one task's rows of a batch.
   *
   * @param outputs the model's raw outputs before training on these rows (values or logits)
   * @param labels the rows' labels (regression values, 0/1, class indices)
   * @param batchLoss the task's mean loss over these rows
   */
  public void observe(int task, float[] outputs, float[] labels, int rows, double batchLoss) {
    TaskSpec t = spec.task(task);
    int width = t.outputs();
    double[] f = fading[task];
    for (int r = 0; r < rows; r++) {
      double correct = Double.NaN;
      double absError = Double.NaN;
      switch (t.type()) {
        case REGRESSION -> {
          double sum = 0;
          for (int k = 0; k < width; k++) {
            sum += Math.abs(outputs[r * width + k] - labels[r * width + k]);
          }
          absError = sum / width;
        }
        case BINARY -> {
          boolean pos = labels[r] == 1f;
          correct = (outputs[r] >= 0) == pos ? 1 : 0;
          auc[task].add(outputs[r], pos);
        }
        case MULTICLASS -> correct = argmax(outputs, r * width, width) == (int) labels[r] ? 1 : 0;
      }
      f[0] = decay * f[0] + 1;
      f[1] = decay * f[1] + batchLoss;
      f[2] = decay * f[2] + (Double.isNaN(correct) ? 0 : correct);
      f[3] = decay * f[3] + (Double.isNaN(absError) ? 0 : absError);
    }
    events[task] += rows;
  }

  public TaskQuality quality(int task) {
    double[] f = fading[task];
    if (events[task] == 0) {
      return new TaskQuality(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    boolean regression = spec.task(task).type() == io.mtlstream.train.TaskType.REGRESSION;
    boolean binary = spec.task(task).type() == io.mtlstream.train.TaskType.BINARY;
    return new TaskQuality(
        events[task],
        f[1] / f[0],
        regression ? Double.NaN : f[2] / f[0],
        binary ? auc[task].auc() : Double.NaN,
        regression ? f[3] / f[0] : Double.NaN);
  }

  public void writeState(DataOutput out) throws IOException {
    out.writeInt(VERSION);
    out.writeInt(events.length);
    for (int i = 0; i < events.length; i++) {
      out.writeLong(events[i]);
      for (double v : fading[i]) {
        out.writeDouble(v);
      }
      auc[i].write(out);
    }
  }

  public void readState(DataInput in) throws IOException {
    int version = in.readInt();
    if (version != VERSION) {
      throw new IOException("prequential state version " + version + " is not supported");
    }
    int n = in.readInt();
    if (n != events.length) {
      throw new IOException("prequential state has " + n + " tasks, the model " + events.length);
    }
    for (int i = 0; i < n; i++) {
      events[i] = in.readLong();
      for (int k = 0; k < 4; k++) {
        fading[i][k] = in.readDouble();
      }
      auc[i].read(in);
    }
  }

  private static int argmax(float[] v, int offset, int width) {
    int best = 0;
    for (int k = 1; k < width; k++) {
      if (v[offset + k] > v[offset + best]) {
        best = k;
      }
    }
    return best;
  }
}
