package io.mtlstream.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server's meters: requests (count and latency) by {@code endpoint} and {@code outcome}
 * ({@code success}, {@code client_error}, {@code unavailable} — no model yet, not ready, shutting
 * down — or {@code server_error}), errors by {@code endpoint} and {@code reason} (the error code),
 * rows per prediction, and requests refused because the worker queue was full. Every tag is
 * bounded. Thread-safe.
 */
final class ServeMetrics {

  private final MeterRegistry registry;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final DistributionSummary rows;
  private final Counter overloaded;

  ServeMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.rows =
        DistributionSummary.builder("mtl.serve.predict.rows")
            .description("Rows per prediction request")
            .baseUnit("rows")
            .register(registry);
    this.overloaded =
        Counter.builder("mtl.serve.overloaded")
            .description(
                "Connections closed unanswered because every worker and queue slot was busy")
            .baseUnit("requests")
            .register(registry);
  }

  void request(String endpoint, int status, long nanos) {
    String outcome =
        status < 400
            ? "success"
            : status < 500 ? "client_error" : status == 503 ? "unavailable" : "server_error";
    timers
        .computeIfAbsent(
            endpoint + '|' + outcome,
            k ->
                Timer.builder("mtl.serve.requests")
                    .description("HTTP requests served, by endpoint and outcome")
                    .tag("endpoint", endpoint)
                    .tag("outcome", outcome)
                    .publishPercentiles(0.5, 0.99)
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  void error(String endpoint, String code) {
    Counter.builder("mtl.serve.errors")
        .description("Requests answered with an error, by endpoint and error code")
        .baseUnit("requests")
        .tag("endpoint", endpoint)
        .tag("reason", code)
        .register(registry)
        .increment();
  }

  void rows(int count) {
    rows.record(count);
  }

  void overloaded() {
    overloaded.increment();
  }
}
