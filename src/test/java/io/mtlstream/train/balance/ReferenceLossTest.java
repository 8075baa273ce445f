package io.mtlstream.train.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.mtlstream.train.Activation;
import io.mtlstream.train.LabelStatistics;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.TaskSpec;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReferenceLossTest {

  private static ReferenceLoss create(ReferenceSettings s) {
    return ReferenceLosses.create(1, s);
  }

  @Test
  void initialShouldFreezeTheMeanOfTheFirstKBatches() {
    var ref = create(ReferenceSettings.defaults().withName("initial").withInitialBatches(3));
    ref.observe(0, 10, Double.NaN);
    ref.observe(0, 20, Double.NaN);
    assertThat(ref.established(0)).isFalse();
    assertThat(ref.reference(0)).isNaN();
    ref.observe(0, 30, Double.NaN);
    assertThat(ref.established(0)).isTrue();
    assertThat(ref.reference(0)).isEqualTo(20.0);
    for (int step = 0; step < 1_000; step++) { // learning: far below R, never re-anchored down
      ref.observe(0, 0.01, Double.NaN);
    }
    assertThat(ref.reference(0)).isEqualTo(20.0);
    assertThat(ref.current(0, 0.01)).isEqualTo(0.01);
  }

  @Test
  void initialShouldReanchorUpwardOnlyOnASustainedRise() {
    var ref =
        (InitialReference)
            create(ReferenceSettings.defaults().withName("initial").withInitialBatches(3));
    for (int step = 0; step < 200; step++) {
      ref.observe(0, 20, Double.NaN);
    }
    ref.observe(0, 5_000, Double.NaN); // one outlier batch lifts the fast EMA above 4R briefly
    for (int step = 0; step < 200; step++) {
      ref.observe(0, 20, Double.NaN);
    }
    assertThat(ref.reanchors(0)).isZero();
    assertThat(ref.reference(0)).isEqualTo(20.0);

    for (int step = 0; step < 300; step++) { // the task's scale drifts ×5
      ref.observe(0, 100, Double.NaN);
    }
    assertThat(ref.reanchors(0)).isEqualTo(1);
    // Reset to the fast EMA once it had stayed above 80 for 50 steps (≈ 92.7 by then).
    assertThat(ref.reference(0)).isBetween(85.0, 100.0);
  }

  @Test
  void initialShouldNeverReanchorWhenDisabled() {
    var ref =
        (InitialReference)
            create(
                ReferenceSettings.defaults()
                    .withName("initial")
                    .withInitialBatches(1)
                    .withReanchorFactor(0));
    ref.observe(0, 1, Double.NaN);
    for (int step = 0; step < 1_000; step++) {
      ref.observe(0, 1_000, Double.NaN);
    }
    assertThat(ref.reference(0)).isEqualTo(1.0);
    assertThat(ref.reanchors(0)).isZero();
  }

  @Test
  void emaShouldTrackAStepChangeWithItsTimeConstant() {
    var ref = create(ReferenceSettings.defaults().withName("ema").withHorizons(10, 1_000));
    for (int step = 0; step < 30_000; step++) {
      ref.observe(0, 1.0, Double.NaN);
    }
    assertThat(ref.reference(0)).isCloseTo(1.0, within(1e-12));
    for (int step = 0; step < 1_000; step++) {
      ref.observe(0, 5.0, Double.NaN);
    }
    // One time constant after a step from 1 to 5: 1 + 4·(1 − (1 − 1/1000)^1000) ≈ 1 + 4·0.632.
    double expected = 1 + 4 * (1 - Math.pow(1 - 1.0 / 1_000, 1_000));
    assertThat(ref.reference(0)).isCloseTo(expected, within(1e-6));
    assertThat(ref.current(0, 123.0))
        .as("fast EMA, not the batch loss")
        .isCloseTo(5.0, within(1e-9));
  }

  @Test
  void emaShouldBeUnbiasedFromTheFirstBatchAndEstablishedAfterK() {
    var ref = create(ReferenceSettings.defaults().withName("ema").withInitialBatches(2));
    ref.observe(0, 3.0, Double.NaN);
    assertThat(ref.established(0)).isFalse();
    assertThat(ref.current(0, 3.0)).isEqualTo(3.0);
    ref.observe(0, 3.0, Double.NaN);
    assertThat(ref.reference(0)).isCloseTo(3.0, within(1e-12));
  }

  @Test
  void maxShouldHoldAPeakForExactlyOneWindowThenSlide() {
    var ref =
        create(
            ReferenceSettings.defaults()
                .withName("max")
                .withInitialBatches(1)
                .withHorizons(1, 1_000)
                .withWindowSteps(100)); // fast horizon 1: no smoothing
    ref.observe(0, 5.0, Double.NaN);
    for (int step = 1; step < 100; step++) {
      ref.observe(0, 1.0, Double.NaN);
      assertThat(ref.reference(0)).as("step %d", step).isEqualTo(5.0);
    }
    ref.observe(0, 1.0, Double.NaN);
    assertThat(ref.reference(0)).isEqualTo(1.0);
    ref.observe(0, 2.0, Double.NaN);
    assertThat(ref.reference(0)).as("rises at once").isEqualTo(2.0);
  }

  @Test
  void baselineShouldFollowTheLabelStatistics() {
    var spec =
        new ModelSpec(
            2,
            new int[] {4},
            Activation.RELU,
            List.of(TaskSpec.regression("y", 1), TaskSpec.binary("click")));
    var labels = new LabelStatistics(spec, 10_000, 100);
    var ref = ReferenceLosses.create(2, ReferenceSettings.defaults());
    var random = new Random(5);
    for (int step = 0; step < 50; step++) {
      float[] y = new float[10];
      float[] click = new float[10];
      for (int r = 0; r < 10; r++) {
        y[r] = (float) (3 * random.nextGaussian());
        click[r] = random.nextDouble() < 0.2 ? 1f : 0f;
      }
      labels.observe(0, y, 10);
      labels.observe(1, click, 10);
      double[] baselines = labels.constantPredictorLosses();
      ref.observe(0, 1.0, baselines[0]);
      ref.observe(1, 1.0, baselines[1]);
      assertThat(ref.established(0)).isEqualTo(labels.events(0) >= 100);
      if (ref.established(0)) {
        assertThat(ref.reference(0)).isEqualTo(baselines[0]);
        assertThat(ref.reference(1)).isEqualTo(baselines[1]);
      }
    }
    assertThat(ref.reference(0)).isCloseTo(9.0, within(1.0));
    ref.observe(0, 1.0, Double.NaN); // unknown now: keep the last value
    assertThat(ref.reference(0)).isEqualTo(labels.constantPredictorLoss(0));
  }

  @Test
  void referencesShouldClampZeroLossesAwayFromZero() {
    for (String name : ReferenceLosses.names()) {
      var ref = create(ReferenceSettings.defaults().withName(name).withInitialBatches(1));
      ref.observe(0, 0.0, 0.0);
      assertThat(ref.reference(0)).as(name).isEqualTo(ReferenceLoss.MIN_LOSS);
    }
  }

  @Test
  void everyStrategyShouldRoundTripItsState() throws IOException {
    for (String name : ReferenceLosses.names()) {
      var s = ReferenceSettings.defaults().withName(name).withInitialBatches(3).withWindowSteps(7);
      var original = ReferenceLosses.create(2, s);
      var random = new Random(1);
      for (int step = 0; step < 40; step++) {
        original.observe(step % 2, random.nextDouble() * 10, random.nextDouble());
      }
      var copy = ReferenceLosses.create(2, s);
      Inputs.restore(copy, Inputs.save(original));
      for (int step = 0; step < 40; step++) {
        double l = random.nextDouble() * 10;
        original.observe(0, l, 0.5);
        copy.observe(0, l, 0.5);
        assertThat(copy.reference(0)).as(name).isEqualTo(original.reference(0));
        assertThat(copy.current(0, l)).as(name).isEqualTo(original.current(0, l));
      }
      assertThat(Inputs.save(copy)).isEqualTo(Inputs.save(original));
    }
  }

  @Test
  void unknownStrategyNameShouldListTheValidOnes() {
    assertThatThrownBy(() -> ReferenceSettings.defaults().withName("median"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("median")
        .hasMessageContaining("[baseline, initial, ema, max]");
    assertThat(ReferenceSettings.defaults().name()).isEqualTo("baseline");
  }
}
