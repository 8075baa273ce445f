package io.mtlstream.eval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SnapshotGateTest {

  @Test
  void shouldHoldBackARegressedSnapshotAndPublishWhenQualityRecovers() {
    SnapshotGate gate = new SnapshotGate(new String[] {"a", "b"}, 0.1, 5);
    assertThat(gate.decide(new double[] {1.0, 2.0}).publish()).isTrue();
    assertThat(gate.decide(new double[] {1.05, 1.9}).publish()).isTrue(); // within tolerance
    SnapshotGate.Decision held = gate.decide(new double[] {1.0, 2.5}); // b +31%
    assertThat(held.publish()).isFalse();
    assertThat(held.reason()).isEqualTo("regressed:b");
    assertThat(gate.decide(new double[] {1.0, 1.95}).publish()).isTrue();
    assertThat(gate.counts())
        .containsEntry("published", 3L)
        .containsEntry("held_back", 1L)
        .containsEntry("held_back.regressed:b", 1L);
  }

  @Test
  void shouldForceAPublishAfterTooManyHoldsAndIgnoreUnknownLosses() {
    SnapshotGate gate = new SnapshotGate(new String[] {"a"}, 0.0, 3);
    gate.decide(new double[] {1.0});
    assertThat(gate.decide(new double[] {2.0}).publish()).isFalse();
    assertThat(gate.decide(new double[] {2.0}).publish()).isFalse();
    SnapshotGate.Decision forced = gate.decide(new double[] {2.0});
    assertThat(forced.publish()).isTrue();
    assertThat(forced.reason()).isEqualTo("forced");
    assertThat(gate.decide(new double[] {Double.NaN}).publish()).isTrue();
  }

  @Test
  void shouldPublishEverythingWhenDisabled() {
    SnapshotGate gate = new SnapshotGate(new String[] {"a"}, -1, 3);
    gate.decide(new double[] {1.0});
    assertThat(gate.decide(new double[] {100.0}).publish()).isTrue();
  }
}
