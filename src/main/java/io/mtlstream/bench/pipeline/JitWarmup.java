package io.mtlstream.bench.pipeline;

import java.util.ArrayDeque;

/**
 * Tells when the JIT compilers have settled: their compile time over the last {@code spanNanos} is
 * at most {@code share} of that span. A pipeline process compiles the broker's, the clients' and
 * Streams' code for minutes; a window opened earlier measures the compilers on two cores as much as
 * the pipeline. Feed it samples in time order; not thread-safe.
 */
final class JitWarmup {

  private record Sample(long nanos, long jitMillis) {}

  private final long spanNanos;
  private final double share;
  private final ArrayDeque<Sample> samples = new ArrayDeque<>();

  JitWarmup(long spanNanos, double share) {
    if (spanNanos <= 0 || !(share > 0)) {
      throw new IllegalArgumentException("span and share must be > 0");
    }
    this.spanNanos = spanNanos;
    this.share = share;
  }

  /** Records the compilers' total time ({@code jitMillis}) at {@code nanos}. */
  void sample(long nanos, long jitMillis) {
    samples.addLast(new Sample(nanos, jitMillis));
    // Keep one sample at or before the span's start, so the span is always fully covered.
    while (samples.size() > 1) {
      Sample oldest = samples.pollFirst();
      if (nanos - samples.getFirst().nanos() < spanNanos) {
        samples.addFirst(oldest);
        break;
      }
    }
  }

  /** Compile time over wall time across the samples kept, NaN before a full span is covered. */
  double recentShare() {
    if (samples.size() < 2 || samples.getLast().nanos() - samples.getFirst().nanos() < spanNanos) {
      return Double.NaN;
    }
    double wall = (samples.getLast().nanos() - samples.getFirst().nanos()) / 1e6;
    return (samples.getLast().jitMillis() - samples.getFirst().jitMillis()) / wall;
  }

  boolean settled() {
    double s = recentShare();
    return !Double.isNaN(s) && s <= share;
  }
}
