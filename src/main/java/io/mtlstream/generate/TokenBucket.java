package io.mtlstream.generate;

import java.util.function.LongSupplier;

/**
 * Paces a producer to a rate: a token bucket refilled continuously from a nanosecond clock. It
 * starts with one token, so N events never take less than (N − 1)/rate, and holds at most 50 ms of
 * tokens, so a late wake-up is caught up without a long burst after an idle spell. Not thread-safe.
 */
final class TokenBucket {

  private static final double BURST_SECONDS = 0.05;

  private final double nanosPerToken;
  private final double capacity;
  private final LongSupplier nanoClock;
  private double tokens = 1;
  private long last;

  /**
   * @param perSecond tokens per second, > 0
   * @param nanoClock a monotonic clock, e.g. {@code System::nanoTime}
   */
  TokenBucket(double perSecond, LongSupplier nanoClock) {
    if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException("rate must be finite and > 0, was " + perSecond);
    }
    this.nanosPerToken = 1e9 / perSecond;
    this.capacity = Math.max(1, perSecond * BURST_SECONDS);
    this.nanoClock = nanoClock;
    this.last = nanoClock.getAsLong();
  }

  /** Takes a token and returns 0, or takes none and returns the nanoseconds until one is due. */
  long tryTake() {
    long now = nanoClock.getAsLong();
    tokens = Math.min(capacity, tokens + (now - last) / nanosPerToken);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - tokens) * nanosPerToken));
  }
}
