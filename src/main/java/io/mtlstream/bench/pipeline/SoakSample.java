package io.mtlstream.bench.pipeline;

import java.util.Locale;

/**
 * One soak sample: process memory now, and the learner's step time and throughput over the interval
 * since the previous sample. Immutable.
 *
 * @param seconds since the soak started
 * @param rssBytes resident set size of the process (VmRSS), -1 if unknown
 * @param heapUsedBytes JVM heap in use
 * @param liveArrays DJL's live native arrays, NaN if not exposed
 * @param steps training steps so far
 * @param stepMs mean milliseconds per training step over the interval, NaN if no step
 * @param eventsPerSecond events trained per second over the interval
 * @param sent events the generator sent so far
 */
public record SoakSample(
    double seconds,
    long rssBytes,
    long heapUsedBytes,
    double liveArrays,
    long steps,
    double stepMs,
    double eventsPerSecond,
    long sent) {

  public static final String CSV_HEADER =
      "seconds,rss_bytes,heap_used_bytes,live_arrays,steps,step_ms,events_per_second,sent";

  public String csvLine() {
    return String.format(
        Locale.ROOT,
        "%.1f,%d,%d,%.0f,%d,%.4f,%.1f,%d",
        seconds,
        rssBytes,
        heapUsedBytes,
        liveArrays,
        steps,
        stepMs,
        eventsPerSecond,
        sent);
  }
}
