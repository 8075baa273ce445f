package io.mtlstream.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mtlstream.train.Activation;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.TaskSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrequentialEvaluatorTest {

  private static final ModelSpec SPEC =
      new ModelSpec(
          2,
          new int[] {4},
          Activation.RELU,
          List.of(TaskSpec.regression("r", 2), TaskSpec.binary("b"), TaskSpec.multiclass("m", 3)));

  @Test
  void shouldScoreEachTaskTypeWithItsMeasures() {
    PrequentialEvaluator e = new PrequentialEvaluator(SPEC, 1_000_000, 100);
    // regression: |1-0|+|2-4| over 2 outputs = 1.5; second row 0
    e.observe(0, new float[] {1, 2, 3, 3}, new float[] {0, 4, 3, 3}, 2, 0.7);
    // binary logits: 2 (p>0.5) label 1 ✓, -1 label 1 ✗, -3 label 0 ✓, 0.5 label 0 ✗
    e.observe(1, new float[] {2, -1, -3, 0.5f}, new float[] {1, 1, 0, 0}, 4, 0.4);
    // multiclass: argmax 2 vs label 2 ✓, argmax 0 vs label 1 ✗
    e.observe(2, new float[] {0, 1, 5, 9, 1, 1}, new float[] {2, 1}, 2, 1.1);

    TaskQuality r = e.quality(0);
    assertThat(r.mae()).isCloseTo(0.75, within(1e-6));
    assertThat(r.loss()).isCloseTo(0.7, within(1e-6));
    assertThat(r.accuracy()).isNaN();
    TaskQuality b = e.quality(1);
    assertThat(b.accuracy()).isCloseTo(0.5, within(1e-6));
    // positives scored (2, -1), negatives (-3, 0.5): 3 of 4 pairs ordered → AUC 0.75
    assertThat(b.auc()).isCloseTo(0.75, within(1e-12));
    TaskQuality m = e.quality(2);
    assertThat(m.accuracy()).isCloseTo(0.5, within(1e-6));
    assertThat(m.events()).isEqualTo(2);
  }

  @Test
  void shouldRankScoresOfBothSignsForAuc() {
    PrequentialEvaluator e = new PrequentialEvaluator(SPEC, 1_000, 100);
    // positives above every negative, across zero: a perfect ranking
    e.observe(1, new float[] {3, 0.5f, -0.2f, -4, 7, -1}, new float[] {1, 1, 0, 0, 1, 0}, 6, 0.1);
    assertThat(e.quality(1).auc()).isEqualTo(1.0);
    PrequentialEvaluator reversed = new PrequentialEvaluator(SPEC, 1_000, 100);
    reversed.observe(1, new float[] {-3, -0.5f, 0.2f, 4}, new float[] {1, 1, 0, 0}, 4, 0.1);
    assertThat(reversed.quality(1).auc()).isEqualTo(0.0);
  }

  @Test
  void shouldFadeOldEventsAtTheHorizon() {
    PrequentialEvaluator e = new PrequentialEvaluator(SPEC, 100, 10);
    for (int i = 0; i < 1_000; i++) {
      e.observe(1, new float[] {5}, new float[] {1}, 1, 1.0);
    }
    for (int i = 0; i < 100; i++) {
      e.observe(1, new float[] {5}, new float[] {0}, 1, 3.0);
    }
    // After one horizon of wrong answers, about 1 − e^-1 of the weight is on them.
    assertThat(e.quality(1).accuracy()).isCloseTo(Math.exp(-1), within(0.01));
    assertThat(e.quality(1).loss()).isCloseTo(1 + 2 * (1 - Math.exp(-1)), within(0.02));
  }

  @Test
  void shouldRoundTripItsState() throws Exception {
    PrequentialEvaluator a = new PrequentialEvaluator(SPEC, 50, 10);
    for (int i = 0; i < 30; i++) {
      a.observe(1, new float[] {i % 3 - 1f}, new float[] {i % 2}, 1, 0.1 * i);
    }
    var bytes = new ByteArrayOutputStream();
    a.writeState(new DataOutputStream(bytes));
    PrequentialEvaluator b = new PrequentialEvaluator(SPEC, 50, 10);
    b.readState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertThat(b.quality(1)).isEqualTo(a.quality(1));
  }
}
