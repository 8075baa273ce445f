package io.mtlstream.bench.pipeline;

import java.util.List;

/**
 * The verdict of a soak: the first {@value #WARMUP_FRACTION} of the samples (by count, at least
 * one) are warm-up and ignored; after it, RSS growth is (last RSS − first RSS) / first RSS, and
 * step-time drift is the median step time of the last tenth of the intervals over that of the first
 * tenth (at least one interval each; intervals without steps are skipped). Targets: RSS growth
 * below {@value #RSS_GROWTH_LIMIT_PERCENT}%, drift within ±{@value #DRIFT_BAND_PERCENT}%. Pure
 * arithmetic; immutable.
 *
 * @param samples all samples
 * @param warmupSamples samples excluded as warm-up
 * @param rssGrowthPercent RSS growth after warm-up in percent, NaN if unknown
 * @param stepDrift last / first tenth of the post-warm-up intervals' median step time, NaN if
 *     unknown
 * @param liveArraysGrowth last − first post-warm-up live native arrays, NaN if not exposed
 * @param heapGrowthBytes last − first post-warm-up heap in use (noisy: it follows the GC)
 */
public record SoakSummary(
    int samples,
    int warmupSamples,
    double rssGrowthPercent,
    double stepDrift,
    double liveArraysGrowth,
    long heapGrowthBytes) {

  public static final double WARMUP_FRACTION = 0.2;
  public static final double RSS_GROWTH_LIMIT_PERCENT = 5;
  public static final double DRIFT_BAND_PERCENT = 15;

  /**
   * @throws IllegalArgumentException with fewer than two samples after the warm-up
   */
  public static SoakSummary of(List<SoakSample> samples) {
    int warmup = Math.max(1, (int) Math.ceil(WARMUP_FRACTION * samples.size()));
    List<SoakSample> post = samples.subList(Math.min(warmup, samples.size()), samples.size());
    if (post.size() < 2) {
      throw new IllegalArgumentException(
          samples.size() + " samples leave fewer than 2 after the warm-up: run longer");
    }
    SoakSample first = post.get(0);
    SoakSample last = post.get(post.size() - 1);
    double rss =
        first.rssBytes() > 0
            ? 100.0 * (last.rssBytes() - first.rssBytes()) / first.rssBytes()
            : Double.NaN;
    List<SoakSample> timed = post.stream().filter(s -> s.stepMs() > 0).toList();
    // Medians of the first and last tenth: single 10 s intervals swing with whatever else the
    // machine does for a moment; a drift is a change of level.
    int window = Math.max(1, (int) Math.ceil(0.1 * timed.size()));
    double drift =
        timed.size() < 2
            ? Double.NaN
            : medianStepMs(timed.subList(timed.size() - window, timed.size()))
                / medianStepMs(timed.subList(0, window));
    return new SoakSummary(
        samples.size(),
        warmup,
        rss,
        drift,
        last.liveArrays() - first.liveArrays(),
        last.heapUsedBytes() - first.heapUsedBytes());
  }

  private static double medianStepMs(List<SoakSample> samples) {
    double[] v = samples.stream().mapToDouble(SoakSample::stepMs).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** RSS grew less than the limit after the warm-up. */
  public boolean memoryPass() {
    return rssGrowthPercent < RSS_GROWTH_LIMIT_PERCENT;
  }

  /** The late step time is within the band around the early one (see {@link #stepDrift}). */
  public boolean stepTimePass() {
    return Math.abs(stepDrift - 1) * 100 <= DRIFT_BAND_PERCENT;
  }

  public boolean pass() {
    return memoryPass() && stepTimePass();
  }
}
