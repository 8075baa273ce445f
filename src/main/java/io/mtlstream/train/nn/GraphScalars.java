package io.mtlstream.train.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Scalars that may enter the autograd graph. DJL's {@code NDArray.mul(Number)} (and {@code div}, …)
 * makes its scalar from a Java direct buffer that the tensor only aliases, and closes it right
 * after the op; autograd keeps that scalar for the backward pass, so a garbage collection in
 * between frees the buffer and the backward reads whatever reuses the memory. Measured: the
 * gradient of {@code sum(a · 0.5)} came out 1e30 instead of 0.5 in 20 of 20 trials with a GC and
 * some direct-buffer churn before the backward; in the learner this made a rare step's gradient
 * garbage (a run drifting from its twin, or a step rejected as non-finite). A scalar made here
 * lives in memory libtorch allocated and reference-counts, so the graph keeps it alive. Stateless.
 */
final class GraphScalars {

  private GraphScalars() {}

  /** A float32 scalar owned by libtorch, attached to {@code manager}. */
  static NDArray of(NDManager manager, float value) {
    return manager.full(new Shape(), value, DataType.FLOAT32);
  }
}
