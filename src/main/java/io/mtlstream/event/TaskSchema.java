package io.mtlstream.event;

import java.util.Objects;

/**
 * What a valid label of one task looks like on the wire. Immutable, thread-safe.
 *
 * @param name task name: 1-64 letters, digits, '.', '_' or '-' (so it is also a legal suffix of a
 *     Kafka topic name)
 * @param kind the label kind
 * @param labelWidth label values per event: the output count (≥ 1) for regression, 1 otherwise
 * @param classes the class count (≥ 2) for multiclass, 0 otherwise
 */
public record TaskSchema(String name, LabelKind kind, int labelWidth, int classes) {

  public TaskSchema {
    Objects.requireNonNull(name, "task name");
    Objects.requireNonNull(kind, "label kind");
    if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException(
          "task name '" + name + "' must be 1-64 letters, digits, '.', '_' or '-'");
    }
    switch (kind) {
      case REGRESSION -> {
        require(labelWidth >= 1, name, "regression needs labelWidth >= 1, got " + labelWidth);
        require(classes == 0, name, "regression has no classes, got " + classes);
      }
      case BINARY -> {
        require(labelWidth == 1, name, "binary has labelWidth 1, got " + labelWidth);
        require(classes == 0, name, "binary has classes 0 (it is one 0/1 value), got " + classes);
      }
      case MULTICLASS -> {
        require(labelWidth == 1, name, "multiclass has labelWidth 1, got " + labelWidth);
        // Class indices travel as floats: beyond 2^24 they would no longer be exact.
        require(
            classes >= 2 && classes <= 1 << 24,
            name,
            "multiclass needs 2..16777216 classes, got " + classes);
      }
    }
  }

  public static TaskSchema regression(String name, int outputs) {
    return new TaskSchema(name, LabelKind.REGRESSION, outputs, 0);
  }

  public static TaskSchema binary(String name) {
    return new TaskSchema(name, LabelKind.BINARY, 1, 0);
  }

  public static TaskSchema multiclass(String name, int classes) {
    return new TaskSchema(name, LabelKind.MULTICLASS, 1, classes);
  }

  private static void require(boolean ok, String task, String message) {
    if (!ok) {
      throw new IllegalArgumentException("task '" + task + "': " + message);
    }
  }
}
