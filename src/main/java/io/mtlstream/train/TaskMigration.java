package io.mtlstream.train;

import io.mtlstream.train.nn.ParameterLayout;
import io.mtlstream.train.nn.SharedBottomNetwork;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Carries a saved learner over to a configuration whose task list changed: the trunk and the towers
 * of kept tasks continue as trained, added tasks get a freshly initialised tower (the one a new
 * learner with the same seed would have), zero optimizer moments and weight 1. Removing a task
 * discards its trained tower, so it is refused unless explicitly allowed. The trunk itself (inputs,
 * widths, activation) and a kept task's shape cannot change. Immutable.
 */
final class TaskMigration {

  private final ModelSpec saved;
  private final ModelSpec target;
  private final int[] newToOld;

  private TaskMigration(ModelSpec saved, ModelSpec target, int[] newToOld) {
    this.saved = saved;
    this.target = target;
    this.newToOld = newToOld;
  }

  /**
   * Plans the migration, or explains why there is none.
   *
   * @throws IllegalArgumentException with an actionable message when the change is not allowed
   */
  static TaskMigration plan(ModelSpec saved, ModelSpec target, boolean allowRemoval) {
    if (saved.inputs() != target.inputs()
        || !Arrays.equals(saved.trunkWidths(), target.trunkWidths())
        || saved.activation() != target.activation()) {
      throw new IllegalArgumentException(
          "the saved model's trunk (inputs "
              + saved.inputs()
              + ", widths "
              + Arrays.toString(saved.trunkWidths())
              + ", "
              + saved.activation()
              + ") differs from the configured one (inputs "
              + target.inputs()
              + ", widths "
              + Arrays.toString(target.trunkWidths())
              + ", "
              + target.activation()
              + "); a trained trunk cannot be reshaped: use a new model id or application id");
    }
    int[] map = new int[target.taskCount()];
    for (int j = 0; j < map.length; j++) {
      TaskSpec t = target.task(j);
      map[j] = saved.indexOf(t.name());
      if (map[j] >= 0 && !saved.task(map[j]).equals(t)) {
        throw new IllegalArgumentException(
            "task '"
                + t.name()
                + "' changed from "
                + saved.task(map[j])
                + " to "
                + t
                + "; give the new shape a new task name");
      }
    }
    List<String> removed = new ArrayList<>();
    for (TaskSpec t : saved.tasks()) {
      if (target.indexOf(t.name()) < 0) {
        removed.add(t.name());
      }
    }
    if (!removed.isEmpty() && !allowRemoval) {
      throw new IllegalArgumentException(
          "tasks "
              + removed
              + " are in the saved learner but not in the configuration; removing a task"
              + " discards its trained tower. Set mtl.tasks.allow.removal=true to remove it");
    }
    return new TaskMigration(saved, target, map);
  }

  boolean isIdentity() {
    return saved.equals(target);
  }

  int[] newToOld() {
    return newToOld.clone();
  }

  /** Parameters in the target layout; new towers as a fresh learner with {@code seed} has them. */
  float[] parameters(float[] old, long seed) {
    return carry(old, SharedBottomNetwork.initialParameters(target, seed));
  }

  /** Optimizer moments in the target layout; zero for new towers. */
  float[] moments(float[] old) {
    return carry(old, new float[new ParameterLayout(target).size()]);
  }

  /** Per-segment optimizer step counts (trunk, then towers) in the target layout. */
  long[] segmentSteps(long[] old) {
    long[] out = new long[target.taskCount() + 1];
    out[0] = old[0];
    for (int j = 0; j < newToOld.length; j++) {
      out[j + 1] = newToOld[j] < 0 ? 0 : old[newToOld[j] + 1];
    }
    return out;
  }

  private float[] carry(float[] old, float[] into) {
    ParameterLayout from = new ParameterLayout(saved);
    ParameterLayout to = new ParameterLayout(target);
    copy(old, from.trunkSegment(), into, to.trunkSegment());
    for (int j = 0; j < newToOld.length; j++) {
      if (newToOld[j] >= 0) {
        copy(old, from.towerSegment(newToOld[j]), into, to.towerSegment(j));
      }
    }
    return into;
  }

  private static void copy(
      float[] src, ParameterLayout.Segment a, float[] dst, ParameterLayout.Segment b) {
    System.arraycopy(src, (int) a.start(), dst, (int) b.start(), (int) a.size());
  }
}
