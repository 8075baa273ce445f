package io.mtlstream.train.balance;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Chooses the task weights w_i of the network loss Σ w_i L_i, step by step.
 *
 * <p>The learner calls {@link #weights()} before a step, trains the network with those (old)
 * weights, then calls {@link #update} once with what the step observed. Implementations are plain
 * Java (no DJL, no Kafka), deterministic, and not thread-safe: one learner thread owns a balancer.
 * Their whole state round-trips through {@link #writeState}/{@link #readState} so that a restored
 * learner continues bit-identically.
 */
public interface LossBalancer {

  /** Registry name, e.g. {@code gradnorm}. */
  String name();

  int taskCount();

  /**
   * Whether {@link #update} needs the per-task gradient norms n_i = ‖∇_W L_i‖ at the last shared
   * layer. When false the learner skips computing them and passes NaN.
   */
  boolean needsGradientNorms();

  /** The weights for the next network update (a copy, length {@link #taskCount()}). */
  double[] weights();

  /** Advances the balancer by one accepted training step. */
  void update(BalanceInput input);

  /** What the last {@link #update} computed, for metrics and reports. */
  BalancerReport report();

  /** Writes the complete state (not the settings) in a stable binary layout. */
  void writeState(DataOutput out) throws IOException;

  /** Replaces the state with one written by {@link #writeState} of the same balancer type. */
  void readState(DataInput in) throws IOException;
}
