package io.mtlstream.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusNamingConvention;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP endpoint for Prometheus: {@code GET /metrics} renders a {@link
 * PrometheusMeterRegistry} in the Prometheus text format (0.0.4), {@code GET /health} answers 200
 * or 503 with a one-line status. Binds 127.0.0.1 unless told otherwise.
 *
 * <p>Ownership: owns its server and its single daemon thread (scrapes are rare and cheap); {@link
 * #close()} stops both. The registry belongs to the caller. Thread-safe.
 */
public final class MetricsEndpoint implements AutoCloseable {

  /** Liveness as the endpoint reports it. */
  public record Health(boolean up, String detail) {}

  static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
  private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);

  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsEndpoint(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * A Prometheus registry with our naming: an {@code mtl.} meter whose name already states its base
   * unit does not get the unit appended again ({@code mtl.events.rejected} in events renders as
   * {@code mtl_events_rejected_total}, not {@code mtl_events_rejected_events_total}); every other
   * meter renders as Micrometer's Prometheus convention has it.
   */
  public static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().namingConvention(new UnitOnceNamingConvention());
    return registry;
  }

  /** Starts serving on {@code address}; fails if the port is taken. */
  public static MetricsEndpoint start(
      InetSocketAddress address, PrometheusMeterRegistry registry, Supplier<Health> health) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(health, "health");
    HttpServer server;
    try {
      server = HttpServer.create(address, 16);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot serve metrics on "
              + address
              + " ("
              + e.getMessage()
              + "); set mtl.metrics.port to a free port, or 0 to turn the endpoint off",
          e);
    }
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "mtl-metrics-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext(
        "/metrics", exchange -> respond(exchange, () -> ok(TEXT_FORMAT, scrape(registry))));
    server.createContext(
        "/health",
        exchange ->
            respond(
                exchange,
                () -> {
                  Health h = health.get();
                  return new Reply(h.up() ? 200 : 503, "text/plain; charset=utf-8", line(h));
                }));
    server.start();
    return new MetricsEndpoint(server, executor);
  }

  /** The bound address (the actual port when 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** {@code http://host:port/metrics}. */
  public String metricsUrl() {
    InetSocketAddress a = address();
    return "http://" + a.getHostString() + ":" + a.getPort() + "/metrics";
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private record Reply(int status, String contentType, byte[] body) {}

  private interface Handler {
    Reply handle() throws IOException;
  }

  private static Reply ok(String contentType, byte[] body) {
    return new Reply(200, contentType, body);
  }

  private static byte[] scrape(PrometheusMeterRegistry registry) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    registry.scrape(out, TEXT_FORMAT);
    return out.toByteArray();
  }

  private static byte[] line(Health h) {
    return ((h.up() ? "UP " : "DOWN ") + h.detail() + "\n").getBytes(UTF_8);
  }

  private static void respond(HttpExchange exchange, Handler handler) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      Reply reply;
      try {
        reply = handler.handle();
      } catch (RuntimeException | IOException e) {
        LOG.warn("{} {} failed", method, exchange.getRequestURI(), e);
        reply = new Reply(500, "text/plain; charset=utf-8", (e + "\n").getBytes(UTF_8));
      }
      exchange.getResponseHeaders().set("Content-Type", reply.contentType());
      boolean head = method.equals("HEAD");
      exchange.sendResponseHeaders(reply.status(), head ? -1 : reply.body().length);
      if (!head) {
        try (OutputStream body = exchange.getResponseBody()) {
          body.write(reply.body());
        }
      }
    }
  }

  /** Micrometer's Prometheus naming, without repeating a unit an {@code mtl.} name states. */
  private static final class UnitOnceNamingConvention extends PrometheusNamingConvention {
    @Override
    public String name(String name, Meter.Type type, String baseUnit) {
      boolean stated =
          baseUnit != null
              && name.startsWith("mtl.")
              && Arrays.asList(name.split("\\.")).contains(baseUnit);
      return super.name(name, type, stated ? null : baseUnit);
    }
  }
}
