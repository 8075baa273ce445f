package io.mtlstream.train.balance;

import java.util.Arrays;
import java.util.List;

/**
 * A validated change of the task list: new task j continues old task {@code newToOld[j]}, or is a
 * new task when that entry is {@code -1}. Every old index appears at most once; old tasks that no
 * index maps to are dropped. Used by {@link LossBalancer#remap}, {@link ReferenceLoss#remap} and
 * the label statistics. Immutable; thread-safe.
 */
public final class TaskRemap {

  /** Marks a new task in a mapping. */
  public static final int NEW_TASK = -1;

  /**
   * Σ w of the kept tasks may differ from their budget by this much (relative to the new task
   * count) and still be carried unchanged: the difference is rounding, and rescaling by 1 ± an ulp
   * would only perturb bits of state that is already right.
   */
  private static final double ROUNDING = 1e-12;

  private final int[] newToOld;
  private final int oldCount;

  private TaskRemap(int[] newToOld, int oldCount) {
    this.newToOld = newToOld;
    this.oldCount = oldCount;
  }

  /**
   * Validates a mapping from new task indices to old ones.
   *
   * @throws IllegalArgumentException when the mapping is null or empty, an entry is neither -1 nor
   *     an old index, or an old index appears twice
   */
  public static TaskRemap of(int[] newToOld, int oldTaskCount) {
    if (newToOld == null || newToOld.length == 0) {
      throw new IllegalArgumentException("a task remapping needs at least one new task");
    }
    int[] map = newToOld.clone();
    int[] seenAt = new int[oldTaskCount];
    Arrays.fill(seenAt, -1);
    for (int j = 0; j < map.length; j++) {
      int old = map[j];
      if (old < NEW_TASK || old >= oldTaskCount) {
        throw new IllegalArgumentException(
            "task remapping %s: new task %d maps to %d, expected -1 (new task) or an old index in [0, %d)"
                .formatted(Arrays.toString(map), j, old, oldTaskCount));
      }
      if (old >= 0) {
        if (seenAt[old] >= 0) {
          throw new IllegalArgumentException(
              "task remapping %s: old task %d is continued by both new tasks %d and %d"
                  .formatted(Arrays.toString(map), old, seenAt[old], j));
        }
        seenAt[old] = j;
      }
    }
    return new TaskRemap(map, oldTaskCount);
  }

  /**
   * The mapping from a list of old task names to a list of new ones, matching by name: a new name
   * continues the old task of that name, an unknown name is a new task ({@code -1}).
   */
  public static int[] byName(List<String> oldNames, List<String> newNames) {
    int[] map = new int[newNames.size()];
    for (int j = 0; j < map.length; j++) {
      map[j] = oldNames.indexOf(newNames.get(j));
    }
    return map;
  }

  public int newTaskCount() {
    return newToOld.length;
  }

  public int oldTaskCount() {
    return oldCount;
  }

  /** The old index new task j continues, or {@code -1} for a new task. */
  public int oldIndex(int newTask) {
    return newToOld[newTask];
  }

  public boolean isNew(int newTask) {
    return newToOld[newTask] == NEW_TASK;
  }

  /** The mapping (a copy). */
  public int[] newToOld() {
    return newToOld.clone();
  }

  double[] doubles(double[] old, double fresh) {
    double[] d = new double[newToOld.length];
    for (int j = 0; j < d.length; j++) {
      d[j] = isNew(j) ? fresh : old[newToOld[j]];
    }
    return d;
  }

  long[] longs(long[] old) {
    long[] d = new long[newToOld.length];
    for (int j = 0; j < d.length; j++) {
      d[j] = isNew(j) ? 0 : old[newToOld[j]];
    }
    return d;
  }

  boolean[] booleans(boolean[] old) {
    boolean[] d = new boolean[newToOld.length];
    for (int j = 0; j < d.length; j++) {
      d[j] = !isNew(j) && old[newToOld[j]];
    }
    return d;
  }

  /**
   * Weights that sum to the new task count: new tasks 1, kept tasks in their old proportions scaled
   * onto the rest, w_i = max(wMin, s·w_old) with the one s that meets the budget (see {@link
   * WeightNormalizer}). When the kept weights already meet their budget up to rounding — an
   * identity, a permutation, or tasks only added — they are carried bit for bit.
   */
  double[] weights(double[] old, double wMin) {
    double[] w = doubles(old, 1.0);
    boolean[] kept = new boolean[w.length];
    double budget = w.length;
    double keptSum = 0;
    for (int j = 0; j < w.length; j++) {
      kept[j] = !isNew(j);
      if (kept[j]) {
        keptSum += w[j];
      } else {
        budget -= 1.0;
      }
    }
    if (budget > 0 && Math.abs(keptSum - budget) > ROUNDING * w.length) {
      WeightNormalizer.apply(w, kept, w.length, wMin);
    }
    return w;
  }
}
