package io.mtlstream.train;

/**
 * The events of one task inside a mini-batch, row-major.
 *
 * @param task task index in the {@link ModelSpec}
 * @param rows event count (≥ 1)
 * @param features {@code rows × inputs} feature values
 * @param labels {@code rows × labelWidth} labels: regression values, 0/1, or class indices
 */
public record TaskRows(int task, int rows, float[] features, float[] labels) {

  public TaskRows {
    if (task < 0) {
      throw new IllegalArgumentException("task index must be >= 0, got " + task);
    }
    if (rows < 1) {
      throw new IllegalArgumentException("a task block needs at least one row, got " + rows);
    }
    if (features.length % rows != 0 || labels.length % rows != 0) {
      throw new IllegalArgumentException(
          "features ("
              + features.length
              + ") and labels ("
              + labels.length
              + ") must be whole rows of "
              + rows);
    }
    features = features.clone();
    labels = labels.clone();
  }

  @Override
  public float[] features() {
    return features.clone();
  }

  @Override
  public float[] labels() {
    return labels.clone();
  }

  /** The features without a copy, for the training hot path; callers must not modify them. */
  public float[] featuresView() {
    return features;
  }

  /** The labels without a copy, for the training hot path; callers must not modify them. */
  public float[] labelsView() {
    return labels;
  }

  public float label(int row, int column, int width) {
    return labels[row * width + column];
  }
}
