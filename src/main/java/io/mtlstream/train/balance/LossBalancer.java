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

  /**
   * A new balancer of the same type and settings for a changed task list; this one is left
   * unchanged. New task j continues task {@code newToOld[j]} of this balancer with all of its
   * per-task state (weight, optimizer moments and step count, reference state, loss history,
   * stuck-task tracking); {@code -1} marks a new task, which starts exactly as a task of a freshly
   * created balancer (weight 1, no history, no reference). Old tasks no index maps to are dropped.
   * Balancer-wide counters (skipped updates) carry over.
   *
   * <p>Weights of balancers that keep Σ w = T ({@code gradnorm}, {@code dwa}, {@code equal}): new
   * tasks get 1 and the kept tasks share the rest, T_new − #new, in their old proportions (for
   * {@code gradnorm} every weight stays ≥ wMin; a weight the floor would cut is pinned at wMin and
   * the others share what is left). Kept weights that already meet that budget up to rounding —
   * identity, permutation, only additions — are carried bit for bit, so an identity remap continues
   * bit-identically. {@code uncertainty} carries its log-variances s_i (its weights are ½e^{−s_i},
   * not normalised) and starts new ones at 0.
   *
   * <p>A new task has no reference, so {@code gradnorm} is back in warm-up until that task's
   * reference is established: meanwhile every weight is held at its remapped value (it is not reset
   * to 1) and the optimizer state rests, while the kept tasks' references keep being fed.
   *
   * @param newToOld for each new task index, the old task it continues or {@code -1}; each old
   *     index at most once
   * @throws IllegalArgumentException for an empty mapping, an entry outside [-1, {@link
   *     #taskCount()}), or an old index used twice
   */
  LossBalancer remap(int[] newToOld);

  /** Writes the complete state (not the settings) in a stable binary layout. */
  void writeState(DataOutput out) throws IOException;

  /** Replaces the state with one written by {@link #writeState} of the same balancer type. */
  void readState(DataInput in) throws IOException;
}
