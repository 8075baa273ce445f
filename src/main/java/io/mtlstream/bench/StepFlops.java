package io.mtlstream.bench;

import io.mtlstream.train.MiniBatch;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.TaskRows;
import io.mtlstream.train.nn.ParameterLayout;

/**
 * Matrix-multiply flops of one training step: a dense layer costs 2·rows·in·out forward and twice
 * that backward (input and weight gradients), except that the first trunk layer needs no input
 * gradient. Trunk layers see every row of the batch, a tower only its task's rows. Element-wise
 * work is ignored, so achieved GFLOP/s is a slight underestimate.
 */
public final class StepFlops {

  private StepFlops() {}

  public static double of(ModelSpec spec, MiniBatch batch) {
    ParameterLayout layout = new ParameterLayout(spec);
    double flops = 0;
    int rows = batch.rows();
    boolean first = true;
    for (ParameterLayout.Dense d : layout.trunk()) {
      flops += (first ? 4.0 : 6.0) * rows * d.in() * d.out();
      first = false;
    }
    for (TaskRows block : batch.blocks()) {
      for (ParameterLayout.Dense d : layout.tower(block.task())) {
        flops += 6.0 * block.rows() * d.in() * d.out();
      }
    }
    return flops;
  }
}
