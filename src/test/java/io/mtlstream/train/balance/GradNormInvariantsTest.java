package io.mtlstream.train.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random streams with random presence, losses over 15 orders of magnitude, zero norms and
 * occasional NaN inputs: after every update w_i ≥ wMin, Σ w = T to 1e-9, nothing is NaN, absent
 * tasks keep their weight bit for bit, and a step with a NaN input changes no weight.
 */
class GradNormInvariantsTest {

  private static final int TASKS = 5;
  private static final int STEPS = 4_000;
  private static final double W_MIN = 1e-3;

  static Stream<Arguments> configurations() {
    List<Arguments> args = new ArrayList<>();
    for (String ref : ReferenceLosses.names()) {
      args.add(Arguments.of(ref, WeightOptimizer.Kind.ADAM, 0.025, false));
      args.add(Arguments.of(ref, WeightOptimizer.Kind.SGD, 0.5, false));
    }
    args.add(Arguments.of("ema", WeightOptimizer.Kind.ADAM, 0.2, true));
    return args.stream();
  }

  @ParameterizedTest(name = "{0} {1} lr={2} stuckMask={3}")
  @MethodSource("configurations")
  void weightsShouldStayPositiveNormalisedAndFiniteUnderRandomInputs(
      String reference, WeightOptimizer.Kind kind, double lr, boolean stuckMask) {
    var refSettings =
        ReferenceSettings.defaults()
            .withName(reference)
            .withInitialBatches(3)
            .withHorizons(5, 50)
            .withWindowSteps(20);
    var settings =
        GradNormSettings.defaults()
            .withAlpha(1.5)
            .withWeightLr(lr)
            .withOptimizer(kind)
            .withWMin(W_MIN)
            .withReference(refSettings)
            .withStuckTasks(
                stuckMask ? StuckTaskSettings.enabled(5, 0.5, 5) : StuckTaskSettings.disabled());
    var balancer = new GradNormBalancer(TASKS, settings);
    var random = new Random(reference.hashCode() * 31L + kind.ordinal());
    int updated = 0;
    int atFloor = 0;
    int nanSteps = 0;

    for (int step = 0; step < STEPS; step++) {
      boolean[] present = new boolean[TASKS];
      double[] losses = Inputs.nans(TASKS);
      double[] norms = Inputs.nans(TASKS);
      double[] baselines = Inputs.nans(TASKS);
      boolean poisoned = false;
      for (int i = 0; i < TASKS; i++) {
        present[i] = random.nextDouble() < 0.6;
        if (present[i]) {
          losses[i] = logUniform(random, 1e-9, 1e6);
          norms[i] = random.nextDouble() < 0.1 ? 0.0 : logUniform(random, 1e-6, 1e6);
          baselines[i] = random.nextDouble() < 0.1 ? Double.NaN : logUniform(random, 1e-9, 1e6);
          if (random.nextDouble() < 0.01) {
            norms[i] = random.nextBoolean() ? Double.NaN : Double.POSITIVE_INFINITY;
            poisoned = true;
          }
        }
      }
      double[] before = balancer.weights();
      long skippedBefore = balancer.skippedUpdates();
      boolean warming = balancer.warmingUp();

      balancer.update(new BalanceInput(present, losses, norms, baselines));

      double[] after = balancer.weights();
      double sum = 0;
      for (int i = 0; i < TASKS; i++) {
        assertThat(after[i])
            .as("step %d task %d", step, i)
            .isFinite()
            .isGreaterThanOrEqualTo(W_MIN);
        if (!present[i]) {
          assertThat(after[i]).as("absent task %d at step %d", i, step).isEqualTo(before[i]);
        }
        sum += after[i];
        atFloor += after[i] == W_MIN ? 1 : 0;
      }
      assertThat(Math.abs(sum - TASKS)).as("|Σw − T| at step %d", step).isLessThan(1e-9);
      if (poisoned) {
        nanSteps++;
        assertThat(after).as("weights after a NaN input at step %d", step).isEqualTo(before);
        if (!warming) {
          assertThat(balancer.skippedUpdates()).isEqualTo(skippedBefore + 1);
        }
      }
      updated += java.util.Arrays.equals(before, after) ? 0 : 1;
    }

    assertThat(updated).as("steps that changed the weights").isGreaterThan(STEPS / 4);
    assertThat(nanSteps).isPositive();
    assertThat(balancer.skippedUpdates()).isPositive();
    if (kind == WeightOptimizer.Kind.SGD) {
      assertThat(atFloor).as("weights pinned at wMin (the clamp was exercised)").isPositive();
    }
  }

  private static double logUniform(Random random, double lo, double hi) {
    return Math.exp(Math.log(lo) + random.nextDouble() * (Math.log(hi) - Math.log(lo)));
  }
}
