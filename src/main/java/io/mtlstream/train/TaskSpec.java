package io.mtlstream.train;

import java.util.Arrays;
import java.util.Objects;

/**
 * One task of a multi-task model: its name, target type, output width and tower layout.
 *
 * @param name unique task name (letters, digits, '.', '_' or '-')
 * @param type target type
 * @param outputs output width: regression targets per event (≥ 1), 1 for binary, the class count (≥
 *     2) for multiclass
 * @param towerWidths hidden widths of the task's tower between the shared representation and the
 *     output layer; empty means one affine head
 */
public record TaskSpec(String name, TaskType type, int outputs, int[] towerWidths) {

  public TaskSpec {
    Objects.requireNonNull(name, "task name");
    Objects.requireNonNull(type, "task type");
    if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException(
          "task name '" + name + "' must be 1-64 letters, digits, '.', '_' or '-'");
    }
    switch (type) {
      case REGRESSION -> require(outputs >= 1, name, "regression needs outputs >= 1");
      case BINARY -> require(outputs == 1, name, "binary has exactly 1 output");
      case MULTICLASS -> require(outputs >= 2, name, "multiclass needs at least 2 classes");
    }
    towerWidths = towerWidths == null ? new int[0] : towerWidths.clone();
    for (int w : towerWidths) {
      require(w >= 1, name, "tower widths must be >= 1");
    }
  }

  public static TaskSpec regression(String name, int outputs, int... towerWidths) {
    return new TaskSpec(name, TaskType.REGRESSION, outputs, towerWidths);
  }

  public static TaskSpec binary(String name, int... towerWidths) {
    return new TaskSpec(name, TaskType.BINARY, 1, towerWidths);
  }

  public static TaskSpec multiclass(String name, int classes, int... towerWidths) {
    return new TaskSpec(name, TaskType.MULTICLASS, classes, towerWidths);
  }

  /** Floats per event in a label row: {@code outputs} for regression, 1 otherwise. */
  public int labelWidth() {
    return type == TaskType.REGRESSION ? outputs : 1;
  }

  @Override
  public int[] towerWidths() {
    return towerWidths.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskSpec t
        && name.equals(t.name)
        && type == t.type
        && outputs == t.outputs
        && Arrays.equals(towerWidths, t.towerWidths);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, outputs, Arrays.hashCode(towerWidths));
  }

  @Override
  public String toString() {
    return name
        + "("
        + type.name().toLowerCase(java.util.Locale.ROOT)
        + ", outputs="
        + outputs
        + ", tower="
        + Arrays.toString(towerWidths)
        + ")";
  }

  private static void require(boolean ok, String task, String message) {
    if (!ok) {
      throw new IllegalArgumentException("task '" + task + "': " + message);
    }
  }
}
