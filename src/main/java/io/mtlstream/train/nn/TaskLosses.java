package io.mtlstream.train.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.mtlstream.train.TaskSpec;
import io.mtlstream.train.TaskType;

/**
 * Task losses and output transforms, by task type. Every loss is a mean over the task's rows, so a
 * task's loss scale does not depend on how many of its events a batch happens to hold. Stateless
 * and thread-safe.
 */
public final class TaskLosses {

  private TaskLosses() {}

  /**
   * The label tensor a task's loss compares against: the values for regression, 0/1 for binary,
   * one-hot rows for multiclass (class indices are validated here: a bad index is a bug upstream).
   */
  public static NDArray labels(NDManager manager, TaskSpec task, float[] labels, int rows) {
    StagingBuffer own = new StagingBuffer();
    own.begin(stagedFloats(task, rows));
    return stageLabels(own, manager, task, labels, rows);
  }

  /** Floats {@link #stageLabels} needs for a task's rows. */
  public static long stagedFloats(TaskSpec task, int rows) {
    return (long) rows * (task.type() == TaskType.BINARY ? 1 : task.outputs());
  }

  /**
   * The label tensor on the next slice of {@code staging}, which the caller began with room for it
   * (see {@link #stagedFloats}).
   */
  public static NDArray stageLabels(
      StagingBuffer staging, NDManager manager, TaskSpec task, float[] labels, int rows) {
    return switch (task.type()) {
      case REGRESSION -> staging.array(manager, labels, new Shape(rows, task.outputs()));
      case BINARY -> staging.array(manager, labels, new Shape(rows, 1));
      case MULTICLASS ->
          staging.array(manager, oneHot(labels, task.outputs()), new Shape(rows, task.outputs()));
    };
  }

  /** The task's mean loss for raw outputs (logits for classification) against labels. */
  public static NDArray loss(TaskSpec task, NDArray outputs, NDArray labels) {
    return switch (task.type()) {
      case REGRESSION -> outputs.sub(labels).square().mean();
      case BINARY -> {
        // log(1 + e^s) − s·y, written to stay finite for large |s|.
        NDArray relu = ai.djl.nn.Activation.relu(outputs);
        NDArray softplusTail = outputs.abs().neg().exp().add(1f).log();
        yield relu.sub(outputs.mul(labels)).add(softplusTail).mean();
      }
      case MULTICLASS ->
          // The divisor enters the graph, so it is a libtorch-owned scalar (see GraphScalars).
          outputs
              .logSoftmax(1)
              .mul(labels)
              .sum()
              .div(GraphScalars.of(outputs.getManager(), -outputs.getShape().get(0)));
    };
  }

  /** Serving outputs: values for regression, P(y = 1) for binary, class probabilities. */
  public static NDArray predictions(TaskSpec task, NDArray outputs) {
    return switch (task.type()) {
      case REGRESSION -> outputs;
      case BINARY -> ai.djl.nn.Activation.sigmoid(outputs);
      case MULTICLASS -> outputs.softmax(1);
    };
  }

  private static float[] oneHot(float[] classes, int classCount) {
    float[] out = new float[classes.length * classCount];
    for (int r = 0; r < classes.length; r++) {
      int c = (int) classes[r];
      if (c != classes[r] || c < 0 || c >= classCount) {
        throw new IllegalArgumentException(
            "class label " + classes[r] + " is not an index in [0, " + classCount + ")");
      }
      out[r * classCount + c] = 1f;
    }
    return out;
  }
}
