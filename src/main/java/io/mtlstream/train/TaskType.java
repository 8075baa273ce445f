package io.mtlstream.train;

/** The kind of supervised target a task learns, which fixes its output width and its loss. */
public enum TaskType {
  /** Real-valued targets (one or more outputs), mean squared error over all output elements. */
  REGRESSION,
  /** Targets 0/1, one logit output, logistic loss. */
  BINARY,
  /** Targets are class indices 0..C-1, C logits, softmax cross-entropy. */
  MULTICLASS;

  /** Parses {@code regression|binary|multiclass}, case-insensitive. */
  public static TaskType parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown task type '" + text + "': expected regression, binary or multiclass", e);
    }
  }
}
