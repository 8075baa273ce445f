package io.mtlstream.eval;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides whether a due snapshot may be published: only if no task's prequential loss regressed by
 * more than {@code tolerance} (relative) since the last published snapshot. A held-back snapshot is
 * counted with its reason. So that a task which simply became harder (drift) cannot freeze serving
 * for ever, the snapshot after {@code maxConsecutiveHolds} holds is published anyway and counted as
 * {@code forced}. A negative tolerance disables the gate. Part of the learner's exactly-once state;
 * not thread-safe.
 */
public final class SnapshotGate {

  /** Outcome for one due snapshot; {@code reason} is null for a plain publish. */
  public record Decision(boolean publish, String reason) {}

  private final double tolerance;
  private final int maxConsecutiveHolds;
  private final String[] tasks;
  private double[] baseline;
  private int consecutiveHolds;
  private final TreeMap<String, Long> counts = new TreeMap<>();

  public SnapshotGate(String[] tasks, double tolerance, int maxConsecutiveHolds) {
    this.tasks = tasks.clone();
    this.tolerance = tolerance;
    this.maxConsecutiveHolds = Math.max(1, maxConsecutiveHolds);
  }

  /** Judges a due snapshot by the tasks' current prequential losses, and records the outcome. */
  public Decision decide(double[] losses) {
    String regressed = tolerance < 0 || baseline == null ? null : firstRegression(losses);
    Decision d;
    if (regressed == null) {
      d = new Decision(true, null);
    } else if (consecutiveHolds + 1 >= maxConsecutiveHolds) {
      d = new Decision(true, "forced");
    } else {
      d = new Decision(false, "regressed:" + regressed);
    }
    if (d.publish()) {
      baseline = losses.clone();
      consecutiveHolds = 0;
      counts.merge("published", 1L, Long::sum);
      if (d.reason() != null) {
        counts.merge("published." + d.reason(), 1L, Long::sum);
      }
    } else {
      consecutiveHolds++;
      counts.merge("held_back", 1L, Long::sum);
      counts.merge("held_back." + d.reason(), 1L, Long::sum);
    }
    return d;
  }

  private String firstRegression(double[] losses) {
    for (int i = 0; i < tasks.length; i++) {
      double before = baseline[i];
      double now = losses[i];
      if (Double.isFinite(before) && Double.isFinite(now) && now > before * (1 + tolerance)) {
        return tasks[i];
      }
    }
    return null;
  }

  /** Counts so far: {@code published}, {@code held_back}, and per reason. */
  public Map<String, Long> counts() {
    return new TreeMap<>(counts);
  }

  public void writeState(DataOutput out) throws IOException {
    out.writeBoolean(baseline != null);
    if (baseline != null) {
      out.writeInt(baseline.length);
      for (double b : baseline) {
        out.writeDouble(b);
      }
    }
    out.writeInt(consecutiveHolds);
    out.writeInt(counts.size());
    for (var e : counts.entrySet()) {
      out.writeUTF(e.getKey());
      out.writeLong(e.getValue());
    }
  }

  public void readState(DataInput in) throws IOException {
    baseline = null;
    if (in.readBoolean()) {
      double[] b = new double[in.readInt()];
      for (int i = 0; i < b.length; i++) {
        b[i] = in.readDouble();
      }
      baseline = b.length == tasks.length ? b : null; // a changed task set restarts the gate
    }
    consecutiveHolds = in.readInt();
    counts.clear();
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      counts.put(in.readUTF(), in.readLong());
    }
  }
}
