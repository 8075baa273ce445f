package io.mtlstream.train.balance;

import java.util.List;
import java.util.Locale;

/**
 * Creates {@link ReferenceLoss} strategies by name.
 *
 * <ul>
 *   <li>{@code initial} — frozen mean of the task's first K batch losses (the paper's L_i(0)),
 *       re-anchored upward on sustained drift ({@link InitialReference}).
 *   <li>{@code ema} — slow EMA of the loss over a fast EMA numerator ({@link EmaReference}).
 *   <li>{@code max} — sliding-window maximum of the fast-EMA loss ({@link WindowMaxReference}).
 *   <li>{@code baseline} — the loss of the best constant predictor under the running label
 *       statistics: label variance, binary or class-prior entropy ({@link BaselineReference}).
 * </ul>
 *
 * <p><b>The default is {@code baseline}</b>, because it is the only option that is right on all of
 * these counts at once:
 *
 * <ul>
 *   <li><i>Scale-correct from the start.</i> It measures each loss in units of "how much better
 *       than chance", which is what makes losses of a σ=1 and a σ=100 regression task, or of a
 *       binary and a 50-class task, comparable; it needs no warm-up batches of the model's own
 *       losses.
 *   <li><i>Follows drift both ways.</i> When a task's label scale or class balance changes, the
 *       label statistics (and with them R) follow within their horizon, up or down; {@code initial}
 *       can only re-anchor upward and {@code max} follows downward only after its window.
 *   <li><i>Independent of the model's history.</i> R comes from the labels, not from losses the
 *       model produced, so a badly initialised or diverging early model cannot poison it, and
 *       learning progress is never mistaken for drift (unlike {@code ema}, whose reference chases
 *       the loss down and so slowly erases the training-rate signal GradNorm balances).
 *   <li><i>Bounded.</i> It is a label statistic, finite as soon as the task has seen a few events.
 * </ul>
 *
 * Its cost is that the learner must keep {@code io.mtlstream.train.LabelStatistics} and pass {@link
 * BalanceInput#baselineLosses()}. Thread-safety: stateless factory.
 */
public final class ReferenceLosses {

  public static final String INITIAL = "initial";
  public static final String EMA = "ema";
  public static final String MAX = "max";
  public static final String BASELINE = "baseline";
  public static final String DEFAULT = BASELINE;

  private static final List<String> NAMES = List.of(BASELINE, INITIAL, EMA, MAX);

  private ReferenceLosses() {}

  /** Valid strategy names, default first. */
  public static List<String> names() {
    return NAMES;
  }

  public static ReferenceLoss create(int taskCount, ReferenceSettings s) {
    if (taskCount < 1) {
      throw new IllegalArgumentException("taskCount must be >= 1, got " + taskCount);
    }
    return switch (s.name()) {
      case INITIAL ->
          new InitialReference(taskCount, s.initialBatches(), s.reanchorFactor(), s.fastSteps());
      case EMA -> new EmaReference(taskCount, s.initialBatches(), s.fastSteps(), s.slowSteps());
      case MAX ->
          new WindowMaxReference(taskCount, s.initialBatches(), s.fastSteps(), s.windowSteps());
      case BASELINE -> new BaselineReference(taskCount);
      default -> throw new IllegalStateException("unreachable: " + s.name());
    };
  }

  /** Normalises a strategy name or rejects it with the list of valid names. */
  static String checkName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (!NAMES.contains(n)) {
      throw new IllegalArgumentException(
          "unknown reference strategy '" + name + "': expected one of " + NAMES);
    }
    return n;
  }
}
