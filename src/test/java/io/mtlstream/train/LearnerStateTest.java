package io.mtlstream.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mtlstream.train.balance.Balancers;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LearnerStateTest {

  static List<String> balancers() {
    return Balancers.names();
  }

  @ParameterizedTest
  @MethodSource("balancers")
  void shouldContinueBitIdenticallyAfterSaveAndRestore(String balancer) {
    LearnerSettings settings = LearnerSettings.defaults(Batches.MIXED).withBalancer(balancer);
    List<MiniBatch> batches = batches(60);
    try (MultiTaskLearner uninterrupted = MultiTaskLearner.create(settings)) {
      batches.forEach(uninterrupted::step);

      byte[] saved;
      try (MultiTaskLearner first = MultiTaskLearner.create(settings)) {
        batches.subList(0, 25).forEach(first::step);
        saved = first.saveState();
      }
      try (MultiTaskLearner resumed = MultiTaskLearner.restore(settings, saved)) {
        batches.subList(25, 60).forEach(resumed::step);

        assertThat(resumed.parameters()).isEqualTo(uninterrupted.parameters());
        assertThat(resumed.weights()).isEqualTo(uninterrupted.weights());
        assertThat(resumed.steps()).isEqualTo(60);
        assertThat(resumed.counters().trainedEvents())
            .isEqualTo(uninterrupted.counters().trainedEvents());
        assertThat(resumed.saveState()).isEqualTo(uninterrupted.saveState());
      }
    }
  }

  @Test
  void shouldMoveGradNormWeightsAwayFromOneAfterWarmUp() {
    try (MultiTaskLearner learner =
        MultiTaskLearner.create(LearnerSettings.defaults(Batches.MIXED))) {
      batches(80).forEach(learner::step);
      double[] w = learner.weights();
      assertThat(java.util.Arrays.stream(w).map(x -> Math.abs(x - 1)).max().orElseThrow())
          .isGreaterThan(0.05);
      assertThat(w[0] + w[1] + w[2]).isCloseTo(3.0, org.assertj.core.api.Assertions.within(1e-9));
    }
  }

  @Test
  void shouldRejectCorruptedStateWithAClearMessage() {
    LearnerSettings settings = LearnerSettings.defaults(Batches.MIXED);
    byte[] state;
    try (MultiTaskLearner learner = MultiTaskLearner.create(settings)) {
      batches(3).forEach(learner::step);
      state = learner.saveState();
    }
    byte[] flipped = state.clone();
    flipped[flipped.length / 2] ^= 0x10;
    assertThatThrownBy(() -> MultiTaskLearner.restore(settings, flipped))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("checksum");

    byte[] future = state.clone();
    future[5] = 9; // version short, low byte
    assertThatThrownBy(() -> MultiTaskLearner.restore(settings, future))
        .hasMessageContaining("version 9 is not supported");

    assertThatThrownBy(() -> MultiTaskLearner.restore(settings.withBalancer("equal"), state))
        .hasMessageContaining("balancer 'gradnorm'");

    ModelSpec other = new ModelSpec(8, new int[] {16, 12}, Activation.TANH, Batches.MIXED.tasks());
    assertThatThrownBy(() -> MultiTaskLearner.restore(LearnerSettings.defaults(other), state))
        .hasMessageContaining("cannot be reshaped");
  }

  static List<MiniBatch> batches(int n) {
    SplittableRandom random = new SplittableRandom(5);
    return java.util.stream.IntStream.range(0, n)
        .mapToObj(i -> Batches.random(Batches.MIXED, random, 6, i % 5 == 0 ? 0 : 5, 4))
        .toList();
  }
}
