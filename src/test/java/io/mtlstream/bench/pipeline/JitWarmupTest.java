package io.mtlstream.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class JitWarmupTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void shouldSettleOnlyOnceAFullSpanCompiledLittle() {
    JitWarmup jit = new JitWarmup(10 * SECOND, 0.10);
    long compiled = 0;
    // 20 s of heavy compiling (half the wall time), sampled every 100 ms.
    for (int i = 0; i <= 200; i++) {
      jit.sample(i * SECOND / 10, compiled);
      assertThat(jit.settled()).isFalse();
      compiled += 50;
    }
    assertThat(jit.recentShare()).isCloseTo(0.5, within(0.01));
    // Then 5 % of the wall time: settled only when the heavy part left the 10 s span.
    int settledAt = -1;
    for (int i = 201; i <= 400 && settledAt < 0; i++) {
      compiled += 5;
      jit.sample(i * SECOND / 10, compiled);
      if (jit.settled()) {
        settledAt = i;
      }
    }
    // Share ≤ 0.10 needs (0.05·t + 0.5·(10 − t)) / 10 ≤ 0.10, i.e. t ≥ 8.9 s of quiet.
    assertThat(settledAt).isBetween(288, 292);
    assertThat(jit.recentShare()).isLessThanOrEqualTo(0.10);
  }

  @Test
  void shouldNotJudgeBeforeAFullSpan() {
    JitWarmup jit = new JitWarmup(10 * SECOND, 0.10);
    jit.sample(0, 0);
    jit.sample(9 * SECOND, 0);
    assertThat(jit.recentShare()).isNaN();
    assertThat(jit.settled()).isFalse();
    jit.sample(10 * SECOND, 0);
    assertThat(jit.settled()).isTrue();
  }
}
