package io.mtlstream.train.balance;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Equal weights w_i = 1: the baseline every other balancer is compared against. Stateless apart
 * from its (empty, but tagged and versioned) saved state; owned by one learner thread.
 */
public final class EqualBalancer implements LossBalancer {

  public static final String NAME = "equal";
  private static final int VERSION = 1;

  private final int taskCount;
  private final double[] ones;

  public EqualBalancer(int taskCount) {
    if (taskCount < 1) {
      throw new IllegalArgumentException("taskCount must be >= 1, got " + taskCount);
    }
    this.taskCount = taskCount;
    this.ones = new double[taskCount];
    Arrays.fill(ones, 1.0);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int taskCount() {
    return taskCount;
  }

  @Override
  public boolean needsGradientNorms() {
    return false;
  }

  @Override
  public double[] weights() {
    return ones.clone();
  }

  @Override
  public void update(BalanceInput input) {
    if (input.taskCount() != taskCount) {
      throw new IllegalArgumentException(
          "balance input has " + input.taskCount() + " tasks, balancer has " + taskCount);
    }
  }

  /** Equal weights have no per-task state: a fresh balancer over the new task count. */
  @Override
  public EqualBalancer remap(int[] newToOld) {
    return new EqualBalancer(TaskRemap.of(newToOld, taskCount).newTaskCount());
  }

  @Override
  public BalancerReport report() {
    return BalancerReport.weightsOnly(ones);
  }

  @Override
  public void writeState(DataOutput out) throws IOException {
    StateIO.writeHeader(out, NAME, VERSION, taskCount);
  }

  @Override
  public void readState(DataInput in) throws IOException {
    StateIO.readHeader(in, NAME, VERSION, taskCount);
  }
}
