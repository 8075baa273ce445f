package io.mtlstream.event;

import io.mtlstream.event.EventScan.LabelShape;
import java.util.Arrays;

/** Judges a scanned label against its task and turns it into label values. Stateless. */
final class LabelRules {

  private LabelRules() {}

  /** Why the label does not fit the task, or null when it does. Presence is checked before. */
  static String problem(EventScan s, TaskSchema task) {
    String name = "'" + task.name() + "'";
    if (s.labelShape == LabelShape.OTHER) {
      return "label is " + s.labelText + ", expected " + expected(task);
    }
    return switch (task.kind()) {
      case REGRESSION -> regression(s, task, name);
      case BINARY -> {
        if (s.labelShape == LabelShape.ARRAY) {
          yield "binary task " + name + " expects 0, 1, true or false, got an array";
        }
        yield s.labelDouble == 0 || s.labelDouble == 1
            ? null
            : "binary task " + name + " expects 0, 1, true or false, got " + s.labelText;
      }
      case MULTICLASS -> multiclass(s, task, name);
    };
  }

  /** The label values; call only when {@link #problem} returned null. */
  static float[] values(EventScan s) {
    return s.labelShape == LabelShape.ARRAY
        ? Arrays.copyOf(s.labelValues, s.labelLength)
        : new float[] {s.labelFloat};
  }

  private static String regression(EventScan s, TaskSchema task, String name) {
    int width = task.labelWidth();
    switch (s.labelShape) {
      case BOOLEAN:
        return "regression task " + name + " expects a number, got " + s.labelText;
      case NUMBER:
        if (width != 1) {
          return "regression task " + name + " expects " + width + " label values, got a number";
        }
        return Float.isFinite(s.labelFloat) ? null : "label " + JsonText.nonFinite(s.labelText);
      default: // ARRAY; a one-element array is accepted for one output too
        if (s.labelProblem != null) {
          return s.labelProblem;
        }
        return s.labelLength == width
            ? null
            : "regression task "
                + name
                + " expects "
                + width
                + " label values, got "
                + s.labelLength;
    }
  }

  private static String multiclass(EventScan s, TaskSchema task, String name) {
    if (s.labelShape != LabelShape.NUMBER) {
      String got = s.labelShape == LabelShape.ARRAY ? "an array" : s.labelText;
      return "multiclass task " + name + " expects a class index, got " + got;
    }
    double c = s.labelDouble;
    if (!Double.isFinite(c) || c != Math.rint(c)) {
      return "class label must be an integer for task " + name + ", got " + s.labelText;
    }
    if (c < 0 || c >= task.classes()) {
      return "class " + s.labelText + " out of range [0, " + task.classes() + ") for task " + name;
    }
    return null;
  }

  private static String expected(TaskSchema task) {
    return switch (task.kind()) {
      case REGRESSION -> task.labelWidth() == 1 ? "a number" : "an array of numbers";
      case BINARY -> "0, 1, true or false";
      case MULTICLASS -> "a class index";
    };
  }
}
