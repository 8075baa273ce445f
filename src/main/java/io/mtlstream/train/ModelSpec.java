package io.mtlstream.train;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Architecture of a shared-bottom multi-task network: a trunk of fully connected layers shared by
 * all tasks, then one tower per task. The weight of the last trunk layer is GradNorm's W.
 *
 * @param inputs feature count per event
 * @param trunkWidths widths of the trunk's fully connected layers (at least one)
 * @param activation non-linearity after every trunk and tower hidden layer
 * @param tasks the tasks, in index order; names unique
 */
public record ModelSpec(
    int inputs, int[] trunkWidths, Activation activation, List<TaskSpec> tasks) {

  public ModelSpec {
    if (inputs < 1) {
      throw new IllegalArgumentException("inputs must be >= 1, got " + inputs);
    }
    Objects.requireNonNull(trunkWidths, "trunk widths");
    if (trunkWidths.length == 0) {
      throw new IllegalArgumentException(
          "the trunk needs at least one layer: its last weight is what GradNorm balances");
    }
    trunkWidths = trunkWidths.clone();
    for (int w : trunkWidths) {
      if (w < 1) {
        throw new IllegalArgumentException("trunk widths must be >= 1, got " + w);
      }
    }
    Objects.requireNonNull(activation, "activation");
    tasks = List.copyOf(tasks);
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException("a model needs at least one task");
    }
    var names = new HashSet<String>();
    for (TaskSpec t : tasks) {
      if (!names.add(t.name())) {
        throw new IllegalArgumentException("duplicate task name '" + t.name() + "'");
      }
    }
  }

  public int taskCount() {
    return tasks.size();
  }

  public TaskSpec task(int index) {
    return tasks.get(index);
  }

  /** Index of the named task, or -1. */
  public int indexOf(String taskName) {
    for (int i = 0; i < tasks.size(); i++) {
      if (tasks.get(i).name().equals(taskName)) {
        return i;
      }
    }
    return -1;
  }

  /** Width of the shared representation (the trunk's output). */
  public int sharedWidth() {
    return trunkWidths[trunkWidths.length - 1];
  }

  @Override
  public int[] trunkWidths() {
    return trunkWidths.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelSpec m
        && inputs == m.inputs
        && Arrays.equals(trunkWidths, m.trunkWidths)
        && activation == m.activation
        && tasks.equals(m.tasks);
  }

  @Override
  public int hashCode() {
    return Objects.hash(inputs, Arrays.hashCode(trunkWidths), activation, tasks);
  }

  @Override
  public String toString() {
    return "ModelSpec(inputs="
        + inputs
        + ", trunk="
        + Arrays.toString(trunkWidths)
        + ", "
        + activation
        + ", tasks="
        + tasks
        + ")";
  }
}
