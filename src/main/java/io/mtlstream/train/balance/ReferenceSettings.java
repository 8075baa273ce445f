package io.mtlstream.train.balance;

import java.util.Objects;

/**
 * Which reference strategy GradNorm uses and its parameters. All step counts are counted in the
 * task's own batches (a task absent from a step does not advance its references). Immutable.
 *
 * @param name strategy name, one of {@link ReferenceLosses#names()}
 * @param initialBatches K: batches averaged by {@code initial}; batches {@code ema} and {@code max}
 *     need before their reference counts as established
 * @param reanchorFactor {@code initial} only: re-anchor upward when the fast EMA stays above this
 *     multiple of R; {@code <= 0} disables re-anchoring
 * @param fastSteps time constant of the fast loss EMA (numerator of {@code ema}, signal of {@code
 *     max} and of the re-anchor test)
 * @param slowSteps time constant of the slow loss EMA that is {@code ema}'s reference
 * @param windowSteps sliding window of {@code max}
 */
public record ReferenceSettings(
    String name,
    int initialBatches,
    double reanchorFactor,
    double fastSteps,
    double slowSteps,
    int windowSteps) {

  public ReferenceSettings {
    Objects.requireNonNull(name, "reference strategy name");
    name = ReferenceLosses.checkName(name);
    if (initialBatches < 1) {
      throw new IllegalArgumentException(
          "reference initialBatches must be >= 1, got " + initialBatches);
    }
    if (Double.isNaN(reanchorFactor) || reanchorFactor > 0 && reanchorFactor <= 1) {
      throw new IllegalArgumentException(
          "reference reanchorFactor must be > 1 (or <= 0 to disable), got " + reanchorFactor);
    }
    requireSteps(fastSteps, "fastSteps");
    requireSteps(slowSteps, "slowSteps");
    if (windowSteps < 1) {
      throw new IllegalArgumentException("reference windowSteps must be >= 1, got " + windowSteps);
    }
  }

  /** {@code baseline}, K = 10, re-anchor at 4×, fast 50 steps, slow 10,000, window 5,000. */
  public static ReferenceSettings defaults() {
    return new ReferenceSettings(ReferenceLosses.DEFAULT, 10, 4.0, 50, 10_000, 5_000);
  }

  public ReferenceSettings withName(String newName) {
    return new ReferenceSettings(
        newName, initialBatches, reanchorFactor, fastSteps, slowSteps, windowSteps);
  }

  public ReferenceSettings withInitialBatches(int k) {
    return new ReferenceSettings(name, k, reanchorFactor, fastSteps, slowSteps, windowSteps);
  }

  public ReferenceSettings withReanchorFactor(double factor) {
    return new ReferenceSettings(name, initialBatches, factor, fastSteps, slowSteps, windowSteps);
  }

  public ReferenceSettings withHorizons(double fast, double slow) {
    return new ReferenceSettings(name, initialBatches, reanchorFactor, fast, slow, windowSteps);
  }

  public ReferenceSettings withWindowSteps(int window) {
    return new ReferenceSettings(
        name, initialBatches, reanchorFactor, fastSteps, slowSteps, window);
  }

  private static void requireSteps(double steps, String what) {
    if (!(steps >= 1) || Double.isInfinite(steps)) {
      throw new IllegalArgumentException("reference " + what + " must be >= 1, got " + steps);
    }
  }
}
