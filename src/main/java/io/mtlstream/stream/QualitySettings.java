package io.mtlstream.stream;

/**
 * Prequential evaluation and the snapshot quality gate.
 *
 * @param horizonEvents fading horizon of the per-task quality means
 * @param aucWindow events in the binary tasks' AUC window
 * @param gateTolerance a snapshot is held back when a task's prequential loss rose by more than
 *     this fraction since the last published one; negative disables the gate
 * @param maxConsecutiveHolds after this many holds in a row the next snapshot is published anyway
 */
public record QualitySettings(
    int horizonEvents, int aucWindow, double gateTolerance, int maxConsecutiveHolds) {

  public QualitySettings {
    if (horizonEvents < 1 || aucWindow < 2 || maxConsecutiveHolds < 1) {
      throw new IllegalArgumentException(
          "quality horizon >= 1, AUC window >= 2 and max holds >= 1 required");
    }
  }

  /** Horizon 2,000 events, AUC over 2,000, gate at +10% loss, forced after 5 holds. */
  public static QualitySettings defaults() {
    return new QualitySettings(2_000, 2_000, 0.10, 5);
  }
}
