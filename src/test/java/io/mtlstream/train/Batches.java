package io.mtlstream.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random mini-batches for tests: rows per task given, labels valid for each task type. */
final class Batches {

  private Batches() {}

  static final ModelSpec MIXED =
      new ModelSpec(
          8,
          new int[] {16, 12},
          Activation.RELU,
          List.of(
              TaskSpec.regression("price", 2, 6),
              TaskSpec.binary("click"),
              TaskSpec.multiclass("category", 3, 5)));

  static MiniBatch random(ModelSpec spec, SplittableRandom random, int... rowsPerTask) {
    return io.mtlstream.bench.RandomBatches.of(spec, random, rowsPerTask);
  }

  /** A copy of {@code batch} whose first label of {@code task} is replaced. */
  static MiniBatch withLabel(MiniBatch batch, int task, float label) {
    List<TaskRows> blocks = new ArrayList<>();
    for (TaskRows b : batch.blocks()) {
      float[] y = b.labels();
      if (b.task() == task) {
        y[0] = label;
      }
      blocks.add(new TaskRows(b.task(), b.rows(), b.features(), y));
    }
    return new MiniBatch(blocks);
  }
}
