package io.mtlstream.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One training step's events, grouped by task: at most one {@link TaskRows} block per task, in
 * ascending task order. Grouping lets the model slice each task's rows out of the shared
 * representation without gathers, and makes the batch's layout depend only on its events.
 */
public record MiniBatch(List<TaskRows> blocks) {

  public MiniBatch {
    var sorted = new ArrayList<>(blocks);
    sorted.sort(Comparator.comparingInt(TaskRows::task));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).task() == sorted.get(i - 1).task()) {
        throw new IllegalArgumentException(
            "task " + sorted.get(i).task() + " appears twice in a mini-batch; merge its rows");
      }
    }
    if (sorted.isEmpty()) {
      throw new IllegalArgumentException("a mini-batch needs at least one task block");
    }
    blocks = List.copyOf(sorted);
  }

  public static MiniBatch of(TaskRows... blocks) {
    return new MiniBatch(List.of(blocks));
  }

  public int rows() {
    int n = 0;
    for (TaskRows b : blocks) {
      n += b.rows();
    }
    return n;
  }

  /** Whether the batch holds rows of the given task. */
  public boolean contains(int task) {
    return blockOf(task) != null;
  }

  /** The block of a task, or null when the task is absent from this batch. */
  public TaskRows blockOf(int task) {
    for (TaskRows b : blocks) {
      if (b.task() == task) {
        return b;
      }
    }
    return null;
  }
}
