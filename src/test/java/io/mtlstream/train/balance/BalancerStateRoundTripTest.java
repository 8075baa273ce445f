package io.mtlstream.train.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Save in the middle of a run, restore into a fresh balancer: the rest must be bit-identical. */
class BalancerStateRoundTripTest {

  private static final int TASKS = 3;

  static BalancerSettings settings(String reference, boolean stuckMask) {
    var ref =
        ReferenceSettings.defaults()
            .withName(reference)
            .withInitialBatches(3)
            .withHorizons(5, 50)
            .withWindowSteps(20);
    var gradNorm =
        GradNormSettings.defaults()
            .withReference(ref)
            .withStuckTasks(
                stuckMask ? StuckTaskSettings.enabled(5, 0.2, 3) : StuckTaskSettings.disabled());
    return BalancerSettings.defaults().withGradNorm(gradNorm).withDwa(5, 2.0);
  }

  static Stream<Arguments> everyBalancerAndReference() {
    List<Arguments> args = new ArrayList<>();
    for (String balancer : Balancers.names()) {
      for (String ref : ReferenceLosses.names()) {
        args.add(Arguments.of(balancer, ref, false));
      }
    }
    args.add(Arguments.of(GradNormBalancer.NAME, ReferenceLosses.INITIAL, true));
    args.add(Arguments.of(GradNormBalancer.NAME, ReferenceLosses.BASELINE, true));
    return args.stream();
  }

  @ParameterizedTest(name = "{0} / reference {1} / stuckMask {2}")
  @MethodSource("everyBalancerAndReference")
  void restoredBalancerShouldContinueBitIdentically(String name, String reference, boolean mask)
      throws IOException {
    BalancerSettings s = settings(reference, mask);
    List<BalanceInput> inputs = randomInputs(new Random(7), 600);
    LossBalancer uninterrupted = Balancers.create(name, TASKS, s);
    LossBalancer first = Balancers.create(name, TASKS, s);
    for (int step = 0; step < 300; step++) {
      uninterrupted.update(inputs.get(step));
      first.update(inputs.get(step));
    }
    LossBalancer restored = Balancers.create(name, TASKS, s);
    Inputs.restore(restored, Inputs.save(first));
    assertThat(bits(restored.weights())).isEqualTo(bits(uninterrupted.weights()));

    double[] start = uninterrupted.weights();
    for (int step = 300; step < inputs.size(); step++) {
      uninterrupted.update(inputs.get(step));
      restored.update(inputs.get(step));
      assertThat(bits(restored.weights()))
          .as("step %d", step)
          .isEqualTo(bits(uninterrupted.weights()));
      assertThat(bits(restored.report().targets()))
          .isEqualTo(bits(uninterrupted.report().targets()));
    }
    assertThat(Inputs.save(restored)).isEqualTo(Inputs.save(uninterrupted));
    if (!name.equals(EqualBalancer.NAME)) {
      assertThat(uninterrupted.weights()).as("weights moved after the restore").isNotEqualTo(start);
    }
  }

  @Test
  void shouldRejectStateOfAnotherBalancerType() throws IOException {
    byte[] equalState = Inputs.save(new EqualBalancer(TASKS));
    var gradNorm = new GradNormBalancer(TASKS, GradNormSettings.defaults());

    assertThatThrownBy(() -> Inputs.restore(gradNorm, equalState))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("'equal'")
        .hasMessageContaining("'gradnorm'");
  }

  @Test
  void shouldRejectAnUnknownVersion() throws IOException {
    byte[] state = Inputs.save(new DwaBalancer(TASKS, 5, 2.0));
    state[2 + "dwa".length()]++; // the version byte follows the UTF tag
    assertThatThrownBy(() -> Inputs.restore(new DwaBalancer(TASKS, 5, 2.0), state))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("version 2")
        .hasMessageContaining("reads version 1");
  }

  @Test
  void shouldRejectAnotherReferenceStrategyOrTaskCount() throws IOException {
    byte[] state = Inputs.save(Balancers.create("gradnorm", TASKS, settings("baseline", false)));

    assertThatThrownBy(
            () ->
                Inputs.restore(Balancers.create("gradnorm", TASKS, settings("ema", false)), state))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("reference.baseline")
        .hasMessageContaining("reference.ema");
    assertThatThrownBy(
            () ->
                Inputs.restore(
                    Balancers.create("gradnorm", TASKS + 1, settings("baseline", false)), state))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("3 tasks");
  }

  @Test
  void aFailedReadShouldLeaveTheBalancerUntouched() throws IOException {
    var source = new GradNormBalancer(TASKS, settings("max", false).gradNorm());
    var target = new GradNormBalancer(TASKS, settings("max", false).gradNorm());
    for (BalanceInput input : randomInputs(new Random(3), 100)) {
      source.update(input);
    }
    byte[] state = Inputs.save(source);
    byte[] before = Inputs.save(target);

    assertThatThrownBy(() -> Inputs.restore(target, Arrays.copyOf(state, state.length - 9)))
        .isInstanceOf(IOException.class);
    assertThat(Inputs.save(target)).isEqualTo(before);
  }

  private static List<BalanceInput> randomInputs(Random random, int steps) {
    List<BalanceInput> inputs = new ArrayList<>();
    for (int step = 0; step < steps; step++) {
      boolean[] present = new boolean[TASKS];
      double[] losses = Inputs.nans(TASKS);
      double[] norms = Inputs.nans(TASKS);
      double[] baselines = Inputs.nans(TASKS);
      for (int i = 0; i < TASKS; i++) {
        present[i] = random.nextDouble() < 0.8;
        if (present[i]) {
          double trend = 1.0 + (i + 1) * Math.exp(-step / 150.0);
          losses[i] = trend * (0.8 + 0.4 * random.nextDouble());
          norms[i] = (i + 1) * random.nextDouble();
          baselines[i] = step < 10 ? Double.NaN : 1.0 + i + 0.1 * random.nextDouble();
        }
      }
      inputs.add(new BalanceInput(present, losses, norms, baselines));
    }
    return inputs;
  }

  private static long[] bits(double[] values) {
    return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
  }
}
