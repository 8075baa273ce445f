package io.mtlstream.train.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link LossBalancer#remap} for every balancer and reference strategy: what a changed task list
 * carries over, what starts fresh, and that the result is a normal balancer (state round trip).
 */
class BalancerRemapTest {

  private static final String EVERY =
      "io.mtlstream.train.balance.BalancerStateRoundTripTest#everyBalancerAndReference";
  private static final int WARM = 300;
  private static final int AFTER = 300;

  @ParameterizedTest(name = "{0} / reference {1} / stuckMask {2}")
  @MethodSource(EVERY)
  void identityRemapShouldContinueBitIdentically(String name, String reference, boolean mask)
      throws IOException {
    BalancerSettings s = BalancerStateRoundTripTest.settings(reference, mask);
    List<BalanceInput> inputs = randomInputs(new Random(11), WARM + AFTER, 3);
    LossBalancer original = run(Balancers.create(name, 3, s), inputs.subList(0, WARM));

    LossBalancer remapped = original.remap(new int[] {0, 1, 2});

    assertThat(remapped).isNotSameAs(original);
    assertThat(Inputs.save(remapped)).isEqualTo(Inputs.save(original));
    for (BalanceInput input : inputs.subList(WARM, inputs.size())) {
      original.update(input);
      remapped.update(input);
      assertThat(bits(remapped.weights())).isEqualTo(bits(original.weights()));
      assertThat(bits(remapped.report().targets())).isEqualTo(bits(original.report().targets()));
      assertThat(bits(remapped.report().references()))
          .isEqualTo(bits(original.report().references()));
    }
    assertThat(Inputs.save(remapped)).isEqualTo(Inputs.save(original));
  }

  @ParameterizedTest(name = "{0} / reference {1} / stuckMask {2}")
  @MethodSource(EVERY)
  void remapShouldLeaveTheOriginalUntouched(String name, String reference, boolean mask)
      throws IOException {
    BalancerSettings s = BalancerStateRoundTripTest.settings(reference, mask);
    List<BalanceInput> inputs = randomInputs(new Random(12), WARM, 3);
    LossBalancer original = run(Balancers.create(name, 3, s), inputs);
    byte[] before = Inputs.save(original);

    LossBalancer same = original.remap(new int[] {0, 1, 2});
    LossBalancer grown = original.remap(new int[] {2, 1, 0, -1});
    run(same, randomInputs(new Random(13), 100, 3));
    run(grown, randomInputs(new Random(14), 100, 4));

    assertThat(Inputs.save(original)).isEqualTo(before);
    assertThat(original.taskCount()).isEqualTo(3);
  }

  @ParameterizedTest(name = "{0} / reference {1} / stuckMask {2}")
  @MethodSource(EVERY)
  void addingATaskShouldCarryTheKeptTasksAndStartTheNewOneFresh(
      String name, String reference, boolean mask) throws IOException {
    BalancerSettings s = BalancerStateRoundTripTest.settings(reference, mask);
    List<BalanceInput> inputs = randomInputs(new Random(21), WARM + AFTER, 2);
    LossBalancer original = run(Balancers.create(name, 2, s), inputs.subList(0, WARM));
    double[] before = original.weights();

    LossBalancer grown = original.remap(new int[] {0, 1, -1});

    assertThat(grown.taskCount()).isEqualTo(3);
    double[] w = grown.weights();
    // Only additions: the kept weights already meet their budget and are carried bit for bit.
    assertThat(bits(Arrays.copyOf(w, 2))).isEqualTo(bits(before));
    if (name.equals(UncertaintyBalancer.NAME)) {
      assertThat(w[2]).isEqualTo(0.5); // s = 0, as in a fresh balancer
    } else {
      assertThat(w[2]).isEqualTo(1.0);
      assertThat(Inputs.sum(w)).isCloseTo(3.0, within(1e-9));
    }
    if (grown instanceof GradNormBalancer g) {
      assertThat(g.warmingUp()).as("the new task has no reference yet").isTrue();
      assertThat(g.report().references()[2]).isNaN();
    }

    // Removing the new task again before it was ever seen restores the exact original state.
    LossBalancer back = grown.remap(new int[] {0, 1});
    assertThat(Inputs.save(back)).isEqualTo(Inputs.save(original));

    int[] map = {0, 1, -1};
    for (BalanceInput input : inputs.subList(WARM, inputs.size())) {
      original.update(input);
      grown.update(restrict(input, map));
      back.update(input);
      assertThat(bits(back.weights())).isEqualTo(bits(original.weights()));
      assertKeptTasksFollowTheOriginal(grown, original, map, input);
    }
  }

  /** What holds for kept tasks while the new task stays absent, per balancer. */
  private static void assertKeptTasksFollowTheOriginal(
      LossBalancer grown, LossBalancer original, int[] map, BalanceInput input) {
    double[] w = grown.weights();
    double[] o = original.weights();
    if (grown instanceof UncertaintyBalancer u) {
      // s_i and its Adam state are per task: bit-identical.
      double[] s = u.logVariances();
      double[] so = ((UncertaintyBalancer) original).logVariances();
      assertThat(bits(Arrays.copyOf(s, 2))).isEqualTo(bits(so));
      assertThat(s[2]).isZero();
    } else if (grown instanceof DwaBalancer) {
      // Same ring buffers and the same budget T_new − 1 = T_old for the present tasks: equal to
      // rounding, bit-identical whenever both kept tasks are present.
      assertThat(Inputs.sum(w)).isCloseTo(3.0, within(1e-9));
      assertThat(w[2]).isEqualTo(1.0);
      for (int i = 0; i < 2; i++) {
        assertThat(w[i]).isCloseTo(o[i], within(1e-12));
      }
      if (input.present()[0] && input.present()[1]) {
        assertThat(bits(Arrays.copyOf(w, 2))).isEqualTo(bits(o));
      }
    } else if (grown instanceof GradNormBalancer g) {
      // Back in warm-up: weights held at their remapped values; the kept references are fed on
      // and stay bit-identical to the un-remapped balancer's.
      assertThat(g.warmingUp()).isTrue();
      assertThat(Inputs.sum(w)).isCloseTo(3.0, within(1e-9));
      assertThat(w[2]).isEqualTo(1.0);
      double[] r = g.report().references();
      double[] ro = original.report().references();
      assertThat(bits(Arrays.copyOf(r, 2))).isEqualTo(bits(ro));
    } else {
      assertThat(w).containsOnly(1.0);
    }
  }

  @ParameterizedTest(name = "{0} / reference {1} / stuckMask {2}")
  @MethodSource(EVERY)
  void removingATaskShouldCarryTheOthersAndRenormalise(String name, String reference, boolean mask)
      throws IOException {
    BalancerSettings s = BalancerStateRoundTripTest.settings(reference, mask);
    List<BalanceInput> inputs = randomInputs(new Random(31), WARM + AFTER, 3);
    LossBalancer original = run(Balancers.create(name, 3, s), inputs.subList(0, WARM));
    double[] o = original.weights();
    int[] map = {0, 2};

    LossBalancer shrunk = original.remap(map);

    double[] w = shrunk.weights();
    assertThat(w).hasSize(2);
    if (name.equals(UncertaintyBalancer.NAME)) {
      assertThat(bits(w)).isEqualTo(bits(new double[] {o[0], o[2]}));
    } else {
      assertThat(Inputs.sum(w)).isCloseTo(2.0, within(1e-9));
      assertThat(w[0] / w[1]).isCloseTo(o[0] / o[2], within(1e-12 * o[0] / o[2]));
      assertThat(Arrays.stream(w).min().orElseThrow()).isGreaterThanOrEqualTo(s.gradNorm().wMin());
    }
    if (shrunk instanceof GradNormBalancer g) {
      assertThat(g.warmingUp()).isEqualTo(((GradNormBalancer) original).warmingUp()).isFalse();
      assertThat(g.skippedUpdates()).isEqualTo(((GradNormBalancer) original).skippedUpdates());
    }

    for (BalanceInput input : inputs.subList(WARM, inputs.size())) {
      original.update(input);
      shrunk.update(restrict(input, map));
      double[] sw = shrunk.weights();
      double[] ow = original.weights();
      if (shrunk instanceof UncertaintyBalancer u) {
        assertThat(bits(u.logVariances()))
            .isEqualTo(bits(pick(((UncertaintyBalancer) original).logVariances(), map)));
      } else if (shrunk instanceof DwaBalancer) {
        assertThat(Inputs.sum(sw)).isCloseTo(2.0, within(1e-9));
        if (input.present()[0] && input.present()[2]) {
          // Both from the same ring buffers through the same softmax: the same ratio.
          double ratio = ow[0] / ow[2];
          assertThat(sw[0] / sw[1]).isCloseTo(ratio, within(1e-12 * ratio));
        }
      } else if (shrunk instanceof GradNormBalancer g) {
        assertThat(Inputs.sum(sw)).isCloseTo(2.0, within(1e-9));
        assertThat(Arrays.stream(sw).min().orElseThrow())
            .isGreaterThanOrEqualTo(s.gradNorm().wMin());
        assertThat(bits(g.report().references()))
            .isEqualTo(bits(pick(original.report().references(), map)));
      } else {
        assertThat(sw).containsExactly(1.0, 1.0);
      }
    }
  }

  @ParameterizedTest(name = "{0} / reference {1} / stuckMask {2}")
  @MethodSource(EVERY)
  void remappedBalancerShouldRoundTripThroughItsState(String name, String reference, boolean mask)
      throws IOException {
    BalancerSettings s = BalancerStateRoundTripTest.settings(reference, mask);
    LossBalancer original =
        run(Balancers.create(name, 3, s), randomInputs(new Random(41), WARM, 3));
    for (int[] map : List.of(new int[] {0, 2}, new int[] {1, -1, 0, 2}, new int[] {-1, -1})) {
      LossBalancer remapped = original.remap(map);
      LossBalancer restored = Balancers.create(name, map.length, s);
      Inputs.restore(restored, Inputs.save(remapped));
      assertThat(bits(restored.weights())).isEqualTo(bits(remapped.weights()));

      for (BalanceInput input : randomInputs(new Random(42), AFTER, map.length)) {
        remapped.update(input);
        restored.update(input);
        assertThat(bits(restored.weights())).isEqualTo(bits(remapped.weights()));
      }
      assertThat(Inputs.save(restored)).isEqualTo(Inputs.save(remapped));
    }
  }

  @ParameterizedTest(name = "{0} / reference {1} / stuckMask {2}")
  @MethodSource(EVERY)
  void shouldRejectInvalidMappings(String name, String reference, boolean mask) throws IOException {
    LossBalancer b =
        Balancers.create(name, 3, BalancerStateRoundTripTest.settings(reference, mask));
    byte[] before = Inputs.save(b);

    assertThatThrownBy(() -> b.remap(new int[] {0, 1, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("old task 0 is continued by both new tasks 0 and 2");
    assertThatThrownBy(() -> b.remap(new int[] {0, 3}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("new task 1 maps to 3")
        .hasMessageContaining("[0, 3)");
    assertThatThrownBy(() -> b.remap(new int[] {-2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maps to -2");
    assertThatThrownBy(() -> b.remap(new int[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one new task");
    assertThatThrownBy(() -> b.remap(null)).isInstanceOf(IllegalArgumentException.class);
    assertThat(Inputs.save(b)).isEqualTo(before);
  }

  @Test
  void gradNormShouldKeepTheWeightFloorWhenRenormalising() {
    var settings = GradNormSettings.defaults().withWMin(1e-3);
    var b = new GradNormBalancer(3, settings);
    b.overrideWeights(new double[] {0.5, 0.0011, 2.4989});

    // Kept tasks 1 and 2 (sum 2.5) must shrink to the budget 4 − 2 new tasks = 2; scaled by 0.8
    // task 1 would fall under wMin, so it is pinned there and task 2 takes the rest.
    double[] w = b.remap(new int[] {1, 2, -1, -1}).weights();

    assertThat(w[0]).isEqualTo(1e-3);
    assertThat(w[1]).isCloseTo(2.0 - 1e-3, within(1e-12));
    assertThat(w[2]).isEqualTo(1.0);
    assertThat(w[3]).isEqualTo(1.0);
    assertThat(Inputs.sum(w)).isCloseTo(4.0, within(1e-9));
  }

  @Test
  void gradNormNewTaskShouldEndTheWarmUpOnceItsReferenceIsEstablished() {
    var s = BalancerStateRoundTripTest.settings(ReferenceLosses.INITIAL, false);
    var original = new GradNormBalancer(2, s.gradNorm());
    run(original, randomInputs(new Random(51), WARM, 2));
    var grown = original.remap(new int[] {0, 1, -1});
    double[] frozen = grown.weights();

    List<BalanceInput> inputs = randomInputs(new Random(52), 200, 3);
    int established = -1;
    for (int step = 0; step < inputs.size(); step++) {
      grown.update(inputs.get(step));
      if (grown.warmingUp()) {
        assertThat(bits(grown.weights())).isEqualTo(bits(frozen));
      } else if (established < 0) {
        established = step;
      }
      assertThat(Inputs.sum(grown.weights())).isCloseTo(3.0, within(1e-9));
    }
    // K = 3 batches of the new task (present with probability 0.8) establish its reference.
    assertThat(established).isBetween(2, 20);
    assertThat(grown.weights()).isNotEqualTo(frozen);
  }

  @Test
  void uncertaintyNewTaskShouldLearnExactlyLikeAFreshOne() {
    var original = new UncertaintyBalancer(2, 0.025);
    run(original, randomInputs(new Random(61), WARM, 2));
    var grown = original.remap(new int[] {-1, 1});
    var fresh = new UncertaintyBalancer(1, 0.025);

    for (BalanceInput input : randomInputs(new Random(62), AFTER, 2)) {
      grown.update(input);
      fresh.update(restrict(input, new int[] {0}));
      assertThat(Double.doubleToRawLongBits(grown.logVariances()[0]))
          .isEqualTo(Double.doubleToRawLongBits(fresh.logVariances()[0]));
    }
  }

  @Test
  void taskRemapShouldMatchTasksByName() {
    assertThat(TaskRemap.byName(List.of("a", "b", "c"), List.of("c", "x", "a")))
        .containsExactly(2, -1, 0);
  }

  private static LossBalancer run(LossBalancer b, List<BalanceInput> inputs) {
    for (BalanceInput input : inputs) {
      b.update(input);
    }
    return b;
  }

  /** The input the remapped balancer sees for the same batch: new tasks absent. */
  static BalanceInput restrict(BalanceInput input, int[] newToOld) {
    int t = newToOld.length;
    boolean[] present = new boolean[t];
    double[] losses = Inputs.nans(t);
    double[] norms = Inputs.nans(t);
    double[] baselines = Inputs.nans(t);
    for (int j = 0; j < t; j++) {
      int i = newToOld[j];
      if (i >= 0) {
        present[j] = input.present()[i];
        losses[j] = input.losses()[i];
        norms[j] = input.gradNorms()[i];
        baselines[j] = input.baselineLosses()[i];
      }
    }
    return new BalanceInput(present, losses, norms, baselines);
  }

  static List<BalanceInput> randomInputs(Random random, int steps, int tasks) {
    List<BalanceInput> inputs = new ArrayList<>();
    for (int step = 0; step < steps; step++) {
      boolean[] present = new boolean[tasks];
      double[] losses = Inputs.nans(tasks);
      double[] norms = Inputs.nans(tasks);
      double[] baselines = Inputs.nans(tasks);
      for (int i = 0; i < tasks; i++) {
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

  private static double[] pick(double[] values, int[] newToOld) {
    double[] p = new double[newToOld.length];
    for (int j = 0; j < p.length; j++) {
      p[j] = values[newToOld[j]];
    }
    return p;
  }

  private static long[] bits(double[] values) {
    return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
  }
}
