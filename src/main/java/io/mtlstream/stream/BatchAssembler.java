package io.mtlstream.stream;

import io.mtlstream.event.LabeledEvent;
import io.mtlstream.train.MiniBatch;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.TaskRows;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects one model's events into mini-batches by count: every {@code batchSize} events form a
 * batch, grouped by task (task order, arrival order within a task). Boundaries depend only on the
 * event sequence, so replaying the same events yields the same batches. Not thread-safe.
 */
public final class BatchAssembler {

  private final ModelSpec spec;
  private final int batchSize;
  private final List<List<LabeledEvent>> pending;
  private int count;

  public BatchAssembler(ModelSpec spec, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    this.spec = spec;
    this.batchSize = batchSize;
    this.pending = new ArrayList<>();
    for (int t = 0; t < spec.taskCount(); t++) {
      pending.add(new ArrayList<>());
    }
  }

  /**
   * Adds a validated event; returns the completed batch when this event fills it, else null.
   *
   * @throws IllegalArgumentException if the task is not part of the model (a validation bug)
   */
  public MiniBatch add(LabeledEvent event) {
    int task = spec.indexOf(event.task());
    if (task < 0) {
      throw new IllegalArgumentException("task '" + event.task() + "' is not in the model");
    }
    pending.get(task).add(event);
    if (++count < batchSize) {
      return null;
    }
    return drain();
  }

  /** Events waiting for the next batch. */
  public int pendingCount() {
    return count;
  }

  private MiniBatch drain() {
    List<TaskRows> blocks = new ArrayList<>();
    int inputs = spec.inputs();
    for (int t = 0; t < pending.size(); t++) {
      List<LabeledEvent> events = pending.get(t);
      if (events.isEmpty()) {
        continue;
      }
      int width = spec.task(t).labelWidth();
      float[] x = new float[events.size() * inputs];
      float[] y = new float[events.size() * width];
      for (int r = 0; r < events.size(); r++) {
        events.get(r).copyFeaturesInto(x, r * inputs);
        events.get(r).copyLabelInto(y, r * width);
      }
      blocks.add(new TaskRows(t, events.size(), x, y));
      events.clear();
    }
    count = 0;
    return new MiniBatch(blocks);
  }
}
