package io.mtlstream.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The snapshot subscriber's meters: snapshots loaded and rejected (by {@code reason}), load time,
 * and per served model its age (now − created), freshness (now − newest trained event) and step.
 * Tags are bounded: {@code model} (the configured model ids) and {@code reason}. Thread-safe.
 */
final class SubscriberMetrics {

  private final MeterRegistry registry;
  private final Clock clock;
  private final Function<String, Optional<ServedModel>> current;
  private final Set<String> gauged = ConcurrentHashMap.newKeySet();

  SubscriberMetrics(
      MeterRegistry registry, Clock clock, Function<String, Optional<ServedModel>> current) {
    this.registry = registry;
    this.clock = clock;
    this.current = current;
  }

  /** Registers a model's meters before its first snapshot, so dashboards see zeros, not gaps. */
  void expect(String model) {
    loadedCounter(model);
    gauges(model);
  }

  void loaded(String model, long loadNanos) {
    loadedCounter(model).increment();
    Timer.builder("mtl.serve.snapshot.load")
        .description("Time to verify a snapshot and build its network")
        .tag("model", model)
        .register(registry)
        .record(loadNanos, TimeUnit.NANOSECONDS);
    gauges(model);
  }

  void rejected(String model, String reason) {
    Counter.builder("mtl.serve.snapshots.rejected")
        .description("Snapshots rejected by the serving process; it kept its previous model")
        .baseUnit("snapshots")
        .tag("model", model)
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  private Counter loadedCounter(String model) {
    return Counter.builder("mtl.serve.snapshots.loaded")
        .description("Verified snapshots swapped in for serving")
        .baseUnit("snapshots")
        .tag("model", model)
        .register(registry);
  }

  private void gauges(String model) {
    if (!gauged.add(model)) {
      return;
    }
    Gauge.builder("mtl.serve.model.age", () -> seconds(model, ServedModel::createdAtMillis))
        .description("Age of the served snapshot: now minus its creation time")
        .baseUnit("seconds")
        .tag("model", model)
        .register(registry);
    Gauge.builder(
            "mtl.serve.model.freshness", () -> seconds(model, ServedModel::newestEventTimestamp))
        .description("Now minus the event time of the newest event the served model trained on")
        .baseUnit("seconds")
        .tag("model", model)
        .register(registry);
    Gauge.builder(
            "mtl.serve.model.steps",
            () -> current.apply(model).map(m -> (double) m.step()).orElse(Double.NaN))
        .description("Training step of the served snapshot")
        .baseUnit("steps")
        .tag("model", model)
        .register(registry);
  }

  private double seconds(String model, java.util.function.ToLongFunction<ServedModel> since) {
    return current
        .apply(model)
        .map(since::applyAsLong)
        .filter(t -> t >= 0)
        .map(t -> (clock.millis() - t) / 1000.0)
        .orElse(Double.NaN);
  }
}
