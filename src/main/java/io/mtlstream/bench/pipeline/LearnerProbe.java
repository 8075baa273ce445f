package io.mtlstream.bench.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Reads a running learner's progress from its meter registry, by the public meter names ({@code
 * grafana/README.md}): events trained, steps and their summed time, live native arrays, snapshots
 * published and held back. Every read sums over models and tasks; a meter not registered yet reads
 * 0 (NaN for the gauge). Stateless; safe from any thread (meters are thread-safe).
 */
public final class LearnerProbe {

  static final String TRAINED_EVENTS = "mtl.train.events";
  static final String STEP_TIMER = "mtl.train.step";
  static final String LIVE_ARRAYS = "mtl.djl.live.arrays";
  static final String SNAPSHOTS_PUBLISHED = "mtl.snapshots.published";
  static final String SNAPSHOTS_HELD = "mtl.snapshots.held";

  private final MeterRegistry meters;

  public LearnerProbe(MeterRegistry meters) {
    this.meters = meters;
  }

  /** Events trained so far, all models and tasks. */
  public long trainedEvents() {
    return Math.round(sumCounters(TRAINED_EVENTS));
  }

  /** Training steps timed so far (accepted and rejected). */
  public long steps() {
    return meters.find(STEP_TIMER).timers().stream().mapToLong(Timer::count).sum();
  }

  /** Summed time inside training steps so far, in seconds. */
  public double stepSeconds() {
    return meters.find(STEP_TIMER).timers().stream()
        .mapToDouble(t -> t.totalTime(TimeUnit.SECONDS))
        .sum();
  }

  /** DJL's live native arrays (engine-wide), NaN if the gauge is not registered. */
  public double liveArrays() {
    Gauge g = meters.find(LIVE_ARRAYS).gauge();
    return g == null ? Double.NaN : g.value();
  }

  public long snapshotsPublished() {
    return Math.round(sumCounters(SNAPSHOTS_PUBLISHED));
  }

  /** Due snapshots the quality gate held back, all reasons. */
  public long snapshotsHeld() {
    return Math.round(sumCounters(SNAPSHOTS_HELD));
  }

  private double sumCounters(String name) {
    return meters.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }
}
