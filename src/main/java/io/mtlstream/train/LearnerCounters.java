package io.mtlstream.train;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Step and event counters of a learner: accepted steps, rejected steps by reason, events trained
 * per task. Part of the learner state. Not thread-safe.
 */
public final class LearnerCounters {

  private long steps;
  private final long[] trained;
  private final TreeMap<String, Long> rejected = new TreeMap<>();

  public LearnerCounters(int tasks) {
    this.trained = new long[tasks];
  }

  void stepDone() {
    steps++;
  }

  void trained(int task, int events) {
    trained[task] += events;
  }

  void reject(String reason) {
    rejected.merge(reason, 1L, Long::sum);
  }

  public long steps() {
    return steps;
  }

  /** Events trained on, per task index. */
  public long[] trainedEvents() {
    return trained.clone();
  }

  /** Rejected steps by reason, sorted by reason. */
  public Map<String, Long> rejectedSteps() {
    return new TreeMap<>(rejected);
  }

  public LearnerCounters copy() {
    LearnerCounters c = new LearnerCounters(trained.length);
    c.steps = steps;
    System.arraycopy(trained, 0, c.trained, 0, trained.length);
    c.rejected.putAll(rejected);
    return c;
  }

  /** Counters for a new task list: task j continues {@code newToOld[j]} (-1: a new task at 0). */
  LearnerCounters remap(int[] newToOld) {
    LearnerCounters c = new LearnerCounters(newToOld.length);
    c.steps = steps;
    for (int j = 0; j < newToOld.length; j++) {
      c.trained[j] = newToOld[j] < 0 ? 0 : trained[newToOld[j]];
    }
    c.rejected.putAll(rejected);
    return c;
  }

  void write(DataOutput out) throws IOException {
    out.writeLong(steps);
    out.writeInt(trained.length);
    for (long t : trained) {
      out.writeLong(t);
    }
    out.writeInt(rejected.size());
    for (var e : rejected.entrySet()) {
      out.writeUTF(e.getKey());
      out.writeLong(e.getValue());
    }
  }

  static LearnerCounters read(DataInput in, int tasks) throws IOException {
    LearnerCounters c = new LearnerCounters(tasks);
    c.steps = in.readLong();
    int n = in.readInt();
    if (n != tasks) {
      throw new IOException("counters hold " + n + " tasks, the model has " + tasks);
    }
    for (int i = 0; i < n; i++) {
      c.trained[i] = in.readLong();
    }
    int reasons = in.readInt();
    for (int i = 0; i < reasons; i++) {
      c.rejected.put(in.readUTF(), in.readLong());
    }
    return c;
  }
}
