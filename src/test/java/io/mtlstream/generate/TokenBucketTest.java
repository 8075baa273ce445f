package io.mtlstream.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  private final AtomicLong now = new AtomicLong(1_000);

  @Test
  void shouldAllowOneEventAtOnceThenOnePerInterval() {
    TokenBucket bucket = new TokenBucket(10, now::get);

    assertThat(bucket.tryTake()).isZero();
    assertThat(bucket.tryTake()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(60));
    assertThat(bucket.tryTake()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(40));
    assertThat(bucket.tryTake()).isZero();
  }

  @Test
  void shouldCapTheBurstAfterAnIdleSpellAtFiftyMilliseconds() {
    TokenBucket bucket = new TokenBucket(1000, now::get);
    now.addAndGet(TimeUnit.SECONDS.toNanos(10));

    int immediate = 0;
    while (bucket.tryTake() == 0) {
      immediate++;
    }

    assertThat(immediate).isEqualTo(50);
  }

  @Test
  void shouldNeverExceedTheRateOverAWindow() {
    TokenBucket bucket = new TokenBucket(400, now::get);
    long step = TimeUnit.MICROSECONDS.toNanos(100);
    int taken = 0;
    for (long t = 0; t < TimeUnit.SECONDS.toNanos(1); t += step) {
      if (bucket.tryTake() == 0) {
        taken++;
      }
      now.addAndGet(step);
    }
    assertThat(taken).isBetween(399, 401);
  }
}
