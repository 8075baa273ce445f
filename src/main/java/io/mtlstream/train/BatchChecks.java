package io.mtlstream.train;

/**
 * Shape and label checks of a mini-batch against the model. A failure is a bug upstream (the stream
 * validates every event and dead-letters bad ones), so it throws instead of returning a reason.
 */
final class BatchChecks {

  private BatchChecks() {}

  static void check(ModelSpec spec, MiniBatch batch) {
    for (TaskRows rows : batch.blocks()) {
      if (rows.task() >= spec.taskCount()) {
        throw new IllegalArgumentException(
            "task index " + rows.task() + " but the model has " + spec.taskCount() + " tasks");
      }
      TaskSpec task = spec.task(rows.task());
      if (rows.featuresView().length != rows.rows() * spec.inputs()) {
        throw new IllegalArgumentException(
            "task '" + task.name() + "': expected " + spec.inputs() + " features per event");
      }
      float[] labels = rows.labelsView();
      if (labels.length != rows.rows() * task.labelWidth()) {
        throw new IllegalArgumentException(
            "task '" + task.name() + "': expected " + task.labelWidth() + " label(s) per event");
      }
      for (float y : labels) {
        boolean ok =
            switch (task.type()) {
              case REGRESSION -> true; // non-finite values surface as a rejected (NaN) loss
              case BINARY -> y == 0f || y == 1f;
              case MULTICLASS -> y >= 0 && y < task.outputs() && y == Math.rint(y);
            };
        if (!ok) {
          throw new IllegalArgumentException("task '" + task.name() + "': invalid label " + y);
        }
      }
    }
  }
}
