package io.mtlstream.bench;

import io.mtlstream.train.MiniBatch;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.TaskRows;
import io.mtlstream.train.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mini-batches of random events for benchmarks and tests: standard-normal features, and labels
 * valid for each task type (normal values, 0/1, class indices). Deterministic for a given random
 * generator. Stateless.
 */
public final class RandomBatches {

  private RandomBatches() {}

  /** One batch with {@code rowsPerTask[t]} events of task t; tasks with 0 rows are absent. */
  public static MiniBatch of(ModelSpec spec, SplittableRandom random, int... rowsPerTask) {
    List<TaskRows> blocks = new ArrayList<>();
    for (int t = 0; t < rowsPerTask.length; t++) {
      int rows = rowsPerTask[t];
      if (rows == 0) {
        continue;
      }
      TaskSpec task = spec.task(t);
      float[] x = new float[rows * spec.inputs()];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) random.nextGaussian();
      }
      float[] y = new float[rows * task.labelWidth()];
      for (int i = 0; i < y.length; i++) {
        y[i] =
            switch (task.type()) {
              case REGRESSION -> (float) random.nextGaussian();
              case BINARY -> random.nextInt(2);
              case MULTICLASS -> random.nextInt(task.outputs());
            };
      }
      blocks.add(new TaskRows(t, rows, x, y));
    }
    return new MiniBatch(blocks);
  }
}
