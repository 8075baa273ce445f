package io.mtlstream.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LabelStatisticsTest {

  private static final ModelSpec SPEC =
      new ModelSpec(
          3,
          new int[] {4},
          Activation.RELU,
          List.of(
              TaskSpec.regression("price", 2),
              TaskSpec.binary("click"),
              TaskSpec.multiclass("genre", 3)));

  /** A horizon so long that nothing fades within a test: exact sample statistics. */
  private static final long NO_FADING = 1L << 60;

  @Test
  void shouldGiveVarianceAndEntropiesOfKnownData() {
    var stats = new LabelStatistics(SPEC, NO_FADING, 1);
    stats.observe(0, new float[] {1, 10, 2, 20, 3, 30, 4, 40}, 4);
    stats.observe(1, new float[] {0, 1, 0, 0}, 4);
    stats.observe(2, new float[] {0, 0, 1, 2}, 4);

    // Mean over the two outputs of the population variances 1.25 and 125.
    assertThat(stats.constantPredictorLoss(0)).isCloseTo((1.25 + 125) / 2, within(1e-9));
    assertThat(stats.runningMeans(0)).containsExactly(new double[] {2.5, 25}, within(1e-12));
    double h = -0.25 * Math.log(0.25) - 0.75 * Math.log(0.75);
    assertThat(stats.constantPredictorLoss(1)).isCloseTo(h, within(1e-12));
    double prior = -0.5 * Math.log(0.5) - 2 * 0.25 * Math.log(0.25);
    assertThat(stats.constantPredictorLoss(2)).isCloseTo(prior, within(1e-9));
    assertThat(stats.events(2)).isEqualTo(4);
  }

  @Test
  void shouldBeNaNUntilMinEventsAndClampDegenerateClassification() {
    var stats = new LabelStatistics(SPEC, 10_000, 100);
    stats.observe(1, new float[99], 99);
    stats.observe(2, new float[99], 99);
    assertThat(stats.constantPredictorLoss(1)).isNaN();
    stats.observe(1, new float[1], 1);
    stats.observe(2, new float[1], 1);
    // All negatives / one class only: p clamped to 1e-6, frequencies floored, still finite > 0.
    assertThat(stats.constantPredictorLoss(1)).isPositive().isLessThan(1e-4);
    assertThat(stats.constantPredictorLoss(2)).isPositive().isLessThan(1e-9);
    assertThat(stats.constantPredictorLoss(0)).isNaN();
  }

  @Test
  void shouldStayAccurateForLabelsWithALargeMean() {
    var stats = new LabelStatistics(SPEC, NO_FADING, 1);
    float[] y = new float[2_000];
    for (int r = 0; r < 1_000; r++) {
      y[2 * r] = 1_000_000f + (r % 2 == 0 ? 1f : -1f);
      y[2 * r + 1] = 0f;
    }
    stats.observe(0, y, 1_000);
    assertThat(stats.constantPredictorLoss(0)).isCloseTo(0.5, within(1e-6));
  }

  @Test
  void shouldForgetOldDataAtTheConfiguredHorizon() {
    long horizon = 1_000;
    var stats = new LabelStatistics(SPEC, horizon, 100);
    stats.observe(1, new float[20_000], 20_000);
    assertThat(stats.runningMeans(1)[0]).isZero();
    float[] ones = new float[(int) horizon];
    java.util.Arrays.fill(ones, 1f);
    stats.observe(1, ones, ones.length);

    // The last `horizon` events carry 1 − (1 − 1/h)^h ≈ 1 − 1/e of the total weight.
    double beta = 1 - 1.0 / horizon;
    double p = (1 - Math.pow(beta, horizon)) / (1 - Math.pow(beta, 21_000));
    assertThat(p).isCloseTo(1 - Math.exp(-1), within(1e-3));
    assertThat(stats.runningMeans(1)[0]).isCloseTo(p, within(1e-9));
    double h = -p * Math.log(p) - (1 - p) * Math.log(1 - p);
    assertThat(stats.constantPredictorLoss(1)).isCloseTo(h, within(1e-9));
  }

  @Test
  void earlyEstimatesShouldBeUnbiased() {
    var stats = new LabelStatistics(SPEC, 10_000, 1);
    stats.observe(0, new float[] {4, 8}, 1);
    assertThat(stats.runningMeans(0)).containsExactly(4.0, 8.0);
    assertThat(stats.constantPredictorLoss(0)).isZero();
  }

  @Test
  void shouldObserveEveryBlockOfAMiniBatch() {
    var stats = new LabelStatistics(SPEC, NO_FADING, 1);
    stats.observe(
        MiniBatch.of(
            new TaskRows(1, 2, new float[6], new float[] {1, 1}),
            new TaskRows(2, 1, new float[3], new float[] {2})));
    assertThat(stats.events(0)).isZero();
    assertThat(stats.runningMeans(1)).containsExactly(1.0);
    assertThat(stats.runningMeans(2)).containsExactly(0.0, 0.0, 1.0);
  }

  @Test
  void shouldRejectInvalidLabelsWithoutChangingAnything() {
    var stats = new LabelStatistics(SPEC, NO_FADING, 1);
    assertThatThrownBy(() -> stats.observe(2, new float[] {0, 3}, 2))
        .hasMessageContaining("genre")
        .hasMessageContaining("3.0");
    assertThatThrownBy(() -> stats.observe(1, new float[] {1, 0.5f}, 2))
        .hasMessageContaining("click");
    assertThatThrownBy(() -> stats.observe(0, new float[] {1, Float.NaN}, 1))
        .hasMessageContaining("price");
    assertThatThrownBy(() -> stats.observe(0, new float[] {1, 2, 3}, 1))
        .hasMessageContaining("width 2");
    assertThat(stats.events(0) + stats.events(1) + stats.events(2)).isZero();
  }

  @Test
  void stateShouldRoundTripExactly() throws IOException {
    var original = new LabelStatistics(SPEC, 500, 10);
    var random = new Random(9);
    feed(original, random, 300);
    var copy = new LabelStatistics(SPEC, 500, 10);
    copy.readState(new DataInputStream(new ByteArrayInputStream(save(original))));

    assertThat(copy.constantPredictorLosses()).isEqualTo(original.constantPredictorLosses());
    var r1 = new Random(10);
    var r2 = new Random(10);
    feed(original, r1, 100);
    feed(copy, r2, 100);
    assertThat(save(copy)).isEqualTo(save(original));
    assertThat(copy.events(2)).isEqualTo(400);
  }

  @Test
  void shouldRejectStateOfAnotherTaskLayout() throws IOException {
    byte[] state = save(new LabelStatistics(SPEC));
    var other =
        new ModelSpec(
            3,
            new int[] {4},
            Activation.RELU,
            List.of(
                TaskSpec.regression("price", 3),
                TaskSpec.binary("click"),
                TaskSpec.multiclass("genre", 3)));
    assertThatThrownBy(
            () ->
                new LabelStatistics(other)
                    .readState(new DataInputStream(new ByteArrayInputStream(state))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("price");
  }

  @Test
  void remapShouldCarryKeptTasksExactlyAndStartNewOnesEmpty() throws IOException {
    var original = new LabelStatistics(SPEC, 500, 10);
    feed(original, new Random(21), 300);
    byte[] before = save(original);
    // genre moves to index 0, click is dropped, price is renamed and keeps its layout, "age" is
    // new.
    var newSpec =
        new ModelSpec(
            3,
            new int[] {4},
            Activation.RELU,
            List.of(
                TaskSpec.multiclass("genre", 3, 8),
                TaskSpec.regression("age", 1),
                TaskSpec.regression("price-eur", 2)));

    LabelStatistics remapped = original.remap(newSpec, new int[] {2, -1, 0});

    assertThat(save(original)).as("original unchanged").isEqualTo(before);
    assertThat(remapped.horizonEvents()).isEqualTo(500);
    assertThat(remapped.minEvents()).isEqualTo(10);
    assertThat(remapped.events(1)).isZero();
    assertThat(remapped.runningMeans(1)).containsExactly(0.0);
    assertThat(remapped.constantPredictorLoss(1)).isNaN();
    var r1 = new Random(22);
    var r2 = new Random(22);
    for (int step = 0; step <= 100; step++) {
      assertThat(remapped.events(0)).isEqualTo(original.events(2));
      assertThat(remapped.events(2)).isEqualTo(original.events(0));
      assertThat(remapped.runningMeans(0)).isEqualTo(original.runningMeans(2));
      assertThat(remapped.runningMeans(2)).isEqualTo(original.runningMeans(0));
      assertThat(remapped.constantPredictorLoss(0)).isEqualTo(original.constantPredictorLoss(2));
      assertThat(remapped.constantPredictorLoss(2)).isEqualTo(original.constantPredictorLoss(0));
      float[] price = {(float) r1.nextGaussian(), r1.nextFloat()};
      float[] genre = {r1.nextInt(3)};
      original.observe(0, price, 1);
      original.observe(2, genre, 1);
      remapped.observe(2, price, 1);
      remapped.observe(0, genre, 1);
      remapped.observe(1, new float[] {(float) r2.nextGaussian()}, 1);
    }
    assertThat(remapped.events(1)).isEqualTo(101);

    var restored = new LabelStatistics(newSpec, 500, 10);
    restored.readState(new DataInputStream(new ByteArrayInputStream(save(remapped))));
    assertThat(save(restored)).isEqualTo(save(remapped));
  }

  @Test
  void remapShouldRejectAChangedLabelLayoutOrABadMapping() {
    var stats = new LabelStatistics(SPEC);
    var wider =
        new ModelSpec(3, new int[] {4}, Activation.RELU, List.of(TaskSpec.regression("price", 3)));
    var binaryToMulticlass =
        new ModelSpec(3, new int[] {4}, Activation.RELU, List.of(TaskSpec.multiclass("click", 2)));
    var moreClasses =
        new ModelSpec(3, new int[] {4}, Activation.RELU, List.of(TaskSpec.multiclass("genre", 4)));

    assertThatThrownBy(() -> stats.remap(wider, new int[] {0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'price' (regression, 3 outputs)")
        .hasMessageContaining("(regression, 2 outputs)")
        .hasMessageContaining("new task (-1)");
    assertThatThrownBy(() -> stats.remap(binaryToMulticlass, new int[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'click' (multiclass, 2 classes)")
        .hasMessageContaining("(binary)");
    assertThatThrownBy(() -> stats.remap(moreClasses, new int[] {2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(multiclass, 3 classes)");
    assertThat(stats.remap(moreClasses, new int[] {-1}).events(0)).isZero();
    assertThatThrownBy(() -> stats.remap(SPEC, new int[] {0, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 entries but the new model has 3 tasks");
    assertThatThrownBy(() -> stats.remap(SPEC, new int[] {0, 1, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("old task 1");
  }

  private static void feed(LabelStatistics stats, Random random, int rows) {
    for (int r = 0; r < rows; r++) {
      stats.observe(0, new float[] {(float) random.nextGaussian(), random.nextFloat()}, 1);
      stats.observe(1, new float[] {random.nextBoolean() ? 1 : 0}, 1);
      stats.observe(2, new float[] {random.nextInt(3)}, 1);
    }
  }

  private static byte[] save(LabelStatistics stats) throws IOException {
    var bytes = new ByteArrayOutputStream();
    stats.writeState(new DataOutputStream(bytes));
    return bytes.toByteArray();
  }
}
