package io.mtlstream.train.balance;

import java.util.List;
import java.util.Locale;

/**
 * Creates loss balancers by registry name: {@code gradnorm} (the default), {@code equal}, {@code
 * uncertainty}, {@code dwa}. Stateless; each call returns a new balancer owned by the caller.
 */
public final class Balancers {

  public static final String DEFAULT = GradNormBalancer.NAME;

  private static final List<String> NAMES =
      List.of(
          GradNormBalancer.NAME, EqualBalancer.NAME, UncertaintyBalancer.NAME, DwaBalancer.NAME);

  private Balancers() {}

  /** Valid balancer names, default first. */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * A new balancer in its initial state.
   *
   * @throws IllegalArgumentException for an unknown name, listing the valid ones
   */
  public static LossBalancer create(String name, int taskCount, BalancerSettings settings) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    return switch (n) {
      case GradNormBalancer.NAME -> new GradNormBalancer(taskCount, settings.gradNorm());
      case EqualBalancer.NAME -> new EqualBalancer(taskCount);
      case UncertaintyBalancer.NAME -> new UncertaintyBalancer(taskCount, settings.uncertaintyLr());
      case DwaBalancer.NAME ->
          new DwaBalancer(taskCount, settings.dwaWindow(), settings.dwaTemperature());
      default ->
          throw new IllegalArgumentException(
              "unknown loss balancer '"
                  + name
                  + "': expected one of "
                  + NAMES
                  + " (reference strategies for gradnorm: "
                  + ReferenceLosses.names()
                  + ")");
    };
  }
}
