package io.mtlstream.train.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ReferenceLoss#remap} for every strategy: a kept task continues bit-identically, a new task
 * behaves exactly like a task of a freshly created strategy.
 */
class ReferenceRemapTest {

  static Iterable<String> strategies() {
    return ReferenceLosses.names();
  }

  private static ReferenceSettings settings(String name) {
    // Small K, horizons and window so that re-anchoring and window expiry happen in the test.
    return ReferenceSettings.defaults()
        .withName(name)
        .withInitialBatches(4)
        .withReanchorFactor(1.5)
        .withHorizons(5, 40)
        .withWindowSteps(15);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("strategies")
  void keptTasksShouldContinueAndNewTasksStartFresh(String name) throws IOException {
    ReferenceSettings s = settings(name);
    ReferenceLoss original = ReferenceLosses.create(3, s);
    Random random = new Random(5);
    for (int step = 0; step < 200; step++) {
      feed(original, random, step, new int[] {0, 1, 2});
    }
    byte[] before = Inputs.save(original);
    int[] map = {2, -1, 0};

    ReferenceLoss remapped = original.remap(map);
    ReferenceLoss fresh = ReferenceLosses.create(1, s);

    assertThat(remapped.name()).isEqualTo(original.name());
    assertThat(remapped.taskCount()).isEqualTo(3);
    assertThat(Inputs.save(original)).as("original unchanged").isEqualTo(before);
    assertThat(remapped.established(1)).isFalse();
    for (int step = 200; step < 500; step++) {
      // Same loss sequences: old task 2 → new 0, old 0 → new 2, new task 1 ↔ the fresh one's 0.
      long seed = random.nextLong();
      feedSeeded(original, seed, step, new int[] {2, -1, 0});
      feedSeeded(remapped, seed, step, new int[] {0, 1, 2});
      feedSeeded(fresh, seed, step, new int[] {-1, 0, -1});
      assertSame(remapped, 0, original, 2);
      assertSame(remapped, 2, original, 0);
      assertSame(remapped, 1, fresh, 0);
    }
    if (remapped instanceof InitialReference r) {
      InitialReference o = (InitialReference) original;
      assertThat(r.reanchors(0)).isEqualTo(o.reanchors(2)).isPositive();
      assertThat(r.reanchors(1)).isEqualTo(((InitialReference) fresh).reanchors(0));
    }

    ReferenceLoss restored = ReferenceLosses.create(3, s);
    Inputs.restore(restored, Inputs.save(remapped));
    assertThat(Inputs.save(restored)).isEqualTo(Inputs.save(remapped));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("strategies")
  void shouldRejectInvalidMappings(String name) {
    ReferenceLoss r = ReferenceLosses.create(2, settings(name));
    assertThatThrownBy(() -> r.remap(new int[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("old task 1");
    assertThatThrownBy(() -> r.remap(new int[] {2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maps to 2");
  }

  private static void assertSame(ReferenceLoss a, int i, ReferenceLoss b, int j) {
    assertThat(a.established(i)).isEqualTo(b.established(j));
    assertThat(Double.doubleToRawLongBits(a.reference(i)))
        .isEqualTo(Double.doubleToRawLongBits(b.reference(j)));
    assertThat(Double.doubleToRawLongBits(a.current(i, 0.75)))
        .isEqualTo(Double.doubleToRawLongBits(b.current(j, 0.75)));
  }

  /** Feeds the given strategy's tasks; {@code who[k]} is the strategy task of stream k or -1. */
  private static void feed(ReferenceLoss r, Random random, int step, int[] who) {
    feedSeeded(r, random.nextLong(), step, who);
  }

  private static void feedSeeded(ReferenceLoss r, long seed, int step, int[] who) {
    Random random = new Random(seed);
    for (int k = 0; k < who.length; k++) {
      boolean present = random.nextDouble() < 0.8;
      // A scale jump at step 300 makes the initial strategy re-anchor.
      double scale = (k + 1) * (step >= 300 ? 10.0 : 1.0);
      double loss = scale * (0.5 + random.nextDouble());
      double baseline = step % 7 == 0 ? Double.NaN : scale * (1 + 0.1 * random.nextDouble());
      if (present && who[k] >= 0) {
        r.observe(who[k], loss, baseline);
      }
    }
  }
}
