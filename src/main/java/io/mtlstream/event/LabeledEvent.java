package io.mtlstream.event;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * One training example for one task of one model, as decoded from the wire. Immutable and
 * thread-safe: arrays are copied in and out. Hot paths read features without allocating through
 * {@link #copyFeaturesInto} and {@link #feature}.
 *
 * @param id producer-assigned event id, or null
 * @param model model id (non-empty); selects the learner
 * @param task task name (non-empty)
 * @param features feature values, all finite
 * @param label the task's label values, all finite: the outputs for regression, 0/1 for binary, the
 *     class index for multiclass
 * @param timestamp event time, epoch milliseconds
 */
public record LabeledEvent(
    String id, String model, String task, float[] features, float[] label, long timestamp) {

  public LabeledEvent {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(task, "task");
    if (model.isEmpty() || task.isEmpty()) {
      throw new IllegalArgumentException("model and task must be non-empty");
    }
    features = finiteCopy(features, "features");
    label = finiteCopy(label, "label");
  }

  @Override
  public float[] features() {
    return features.clone();
  }

  @Override
  public float[] label() {
    return label.clone();
  }

  public int featureCount() {
    return features.length;
  }

  public float feature(int index) {
    return features[index];
  }

  public int labelWidth() {
    return label.length;
  }

  public float label(int index) {
    return label[index];
  }

  /** Copies the features into {@code target} at {@code offset}, e.g. a mini-batch row. */
  public void copyFeaturesInto(float[] target, int offset) {
    System.arraycopy(features, 0, target, offset, features.length);
  }

  /** Copies the label values into {@code target} at {@code offset}. */
  public void copyLabelInto(float[] target, int offset) {
    System.arraycopy(label, 0, target, offset, label.length);
  }

  /**
   * Writes the features at {@code target}'s position, in its byte order, and advances it past them:
   * one bulk copy instead of a call per value.
   */
  public void putFeatures(ByteBuffer target) {
    putFloats(features, target);
  }

  /** Writes the label values like {@link #putFeatures}. */
  public void putLabel(ByteBuffer target) {
    putFloats(label, target);
  }

  private static void putFloats(float[] values, ByteBuffer target) {
    target.asFloatBuffer().put(values);
    target.position(target.position() + 4 * values.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabeledEvent e
        && Objects.equals(id, e.id)
        && model.equals(e.model)
        && task.equals(e.task)
        && Arrays.equals(features, e.features)
        && Arrays.equals(label, e.label)
        && timestamp == e.timestamp;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        id, model, task, Arrays.hashCode(features), Arrays.hashCode(label), timestamp);
  }

  @Override
  public String toString() {
    return "LabeledEvent[id="
        + id
        + ", model="
        + model
        + ", task="
        + task
        + ", features="
        + features.length
        + ", label="
        + Arrays.toString(label)
        + ", timestamp="
        + timestamp
        + "]";
  }

  private static float[] finiteCopy(float[] values, String what) {
    Objects.requireNonNull(values, what);
    if (values.length == 0) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    float[] copy = values.clone();
    for (int i = 0; i < copy.length; i++) {
      if (!Float.isFinite(copy[i])) {
        throw new IllegalArgumentException(what + "[" + i + "] is " + copy[i]);
      }
    }
    return copy;
  }
}
