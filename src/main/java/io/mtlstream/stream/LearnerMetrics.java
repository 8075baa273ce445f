package io.mtlstream.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The learner's Micrometer meters for publishing: snapshots published and held back, snapshot size
 * and encode time, and freshness (event time → first published snapshot that includes it). Tags are
 * bounded: {@code model} and {@code reason}. Thread-safe (Micrometer meters are).
 */
final class LearnerMetrics {

  private final MeterRegistry registry;

  LearnerMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void snapshotPublished(String model, int bytes, long encodeNanos) {
    Counter.builder("mtl.snapshots.published")
        .description("Snapshots published to the snapshot topic")
        .baseUnit("snapshots")
        .tag("model", model)
        .register(registry)
        .increment();
    DistributionSummary.builder("mtl.snapshot.size")
        .description("Encoded snapshot size")
        .baseUnit("bytes")
        .tag("model", model)
        .register(registry)
        .record(bytes);
    Timer.builder("mtl.snapshot.encode")
        .description("Time to serialise and checksum a snapshot")
        .tag("model", model)
        .register(registry)
        .record(encodeNanos, TimeUnit.NANOSECONDS);
  }

  void snapshotHeldBack(String model, String reason) {
    Counter.builder("mtl.snapshots.held")
        .description("Due snapshots held back by the quality gate")
        .baseUnit("snapshots")
        .tag("model", model)
        .tag("reason", reason.startsWith("regressed") ? "regressed" : reason)
        .register(registry)
        .increment();
  }

  void freshness(String model, long millis) {
    Timer.builder("mtl.snapshot.freshness")
        .description("Event time to the first published snapshot that includes the event")
        .tag("model", model)
        .publishPercentiles(0.5, 0.99)
        .distributionStatisticExpiry(Duration.ofMinutes(5))
        .register(registry)
        .record(Math.max(0, millis), TimeUnit.MILLISECONDS);
  }
}
