package io.mtlstream.generate;

/**
 * A change of one toy task's scale σ during a generated stream: from event {@code eventIndex} on
 * (counted over all tasks), labels of {@code task} are scaled by {@code sigma}. Immutable.
 *
 * @param eventIndex the first event (0-based, over the whole stream) that sees the new σ
 * @param task the task's position, 0..T-1
 * @param sigma the new scale; finite and positive
 */
public record SigmaDrift(long eventIndex, int task, double sigma) {

  public SigmaDrift {
    if (eventIndex < 0) {
      throw new IllegalArgumentException("drift event index must be >= 0, was " + eventIndex);
    }
    if (task < 0) {
      throw new IllegalArgumentException("drift task must be >= 0, was " + task);
    }
    if (!(sigma > 0) || Double.isInfinite(sigma)) {
      throw new IllegalArgumentException("drift sigma must be finite and > 0, was " + sigma);
    }
  }

  /**
   * Parses {@code EVENT:TASK:SIGMA}, e.g. {@code 50000:1:1}.
   *
   * @throws IllegalArgumentException naming the expected form when {@code text} does not fit it
   */
  public static SigmaDrift parse(String text) {
    String[] parts = text.strip().split(":");
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          "drift '" + text + "' must be EVENT:TASK:SIGMA, e.g. 50000:1:1");
    }
    try {
      return new SigmaDrift(
          Long.parseLong(parts[0].strip()),
          Integer.parseInt(parts[1].strip()),
          Double.parseDouble(parts[2].strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "drift '" + text + "' must be EVENT:TASK:SIGMA with numbers, e.g. 50000:1:1", e);
    }
  }
}
