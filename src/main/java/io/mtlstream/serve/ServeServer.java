package io.mtlstream.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of a serving process, on the JDK's {@link HttpServer}: {@code POST /predict},
 * {@code GET /model}, {@code GET /health/live}, {@code GET /health/ready} and {@code GET /metrics}
 * (Prometheus text). The request and response bodies are documented in {@code package-info}.
 *
 * <p>Requests run on a bounded pool ({@code threads} workers, {@code queueCapacity} waiting
 * connections); when both are full the JDK closes the new connection unanswered and {@code
 * mtl.serve.overloaded} counts it. Bad input is answered with a 4xx JSON error and never reaches
 * the model; an unexpected failure is a 500 and is logged; nothing a client sends stops the server.
 *
 * <p>Ownership: owns the HTTP server and its pool, not the {@link ModelSource} nor a registry given
 * to it. Threading: {@link #start()} and {@link #close()} once each, from any thread.
 */
public final class ServeServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ServeServer.class);
  private static final String NO_DELAY = "sun.net.httpserver.nodelay";

  static {
    // The JDK server writes a response's headers and body separately; with Nagle's algorithm on
    // (its default) and the client's delayed ACK, every small answer waited ~40 ms (measured
    // here: p50 46 ms for one row, 7 ms for 64). The JDK reads the property once, when the first
    // HttpServer of the JVM is created; an explicit -D wins.
    if (System.getProperty(NO_DELAY) == null) {
      System.setProperty(NO_DELAY, "true");
    }
  }

  private final String host;
  private final int requestedPort;
  private final int backlog;
  private final int threads;
  private final int queueCapacity;
  private final ModelSource models;
  private final PrometheusMeterRegistry registry;
  private final ServeMetrics metrics;
  private final ServeJson json;
  private final ServeEndpoints endpoints;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean closing;
  private HttpServer server;
  private ThreadPoolExecutor executor;

  private ServeServer(Builder b) {
    this.host = b.host;
    this.requestedPort = b.port;
    this.backlog = b.backlog;
    this.threads = b.threads;
    this.queueCapacity = b.queueCapacity;
    this.models = b.models;
    this.registry = b.registry;
    this.metrics = new ServeMetrics(registry);
    this.json = new ServeJson();
    this.endpoints =
        new ServeEndpoints(models, registry, metrics, json, b.clock, b.maxBodyBytes, b.maxRows);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the address and starts serving.
   *
   * @throws UncheckedIOException if the address cannot be bound (e.g. the port is taken)
   */
  public synchronized ServeServer start() {
    if (server != null) {
      throw new IllegalStateException("server already started");
    }
    try {
      server =
          HttpServer.create(
              new InetSocketAddress(InetAddress.getByName(host), requestedPort), backlog);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on " + host + ":" + requestedPort + ": " + e.getMessage(), e);
    }
    executor = newExecutor(threads, queueCapacity);
    server.setExecutor(executor);
    route("/predict", "predict", "POST", endpoints::predict);
    route("/model", "model", "GET", endpoints::model);
    route("/health/live", "live", "GET", endpoints::live);
    route("/health/ready", "ready", "GET", endpoints::ready);
    route("/metrics", "metrics", "GET", endpoints::metrics);
    server.createContext(
        "/",
        ex ->
            serve(
                ex,
                "other",
                () -> {
                  throw new ServeError(
                      404, "not_found", "no such endpoint: " + ServeEndpoints.path(ex));
                }));
    server.start();
    LOG.info("serving on {} (default model '{}')", baseUri(), models.defaultModelId());
    return this;
  }

  /** The bound port (useful with port 0). */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("server not started");
    }
    return server.getAddress().getPort();
  }

  /** E.g. {@code http://127.0.0.1:8080}. */
  public synchronized URI baseUri() {
    int port = port();
    String host = server.getAddress().getAddress().getHostAddress();
    return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
  }

  /** The registry {@code /metrics} exposes. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * Answers new requests with 503 {@code shutting_down}, lets exchanges in progress finish (up to 5
   * s), then stops the server and its pool. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (server == null || closing) {
      return;
    }
    closing = true;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    synchronized (inFlight) {
      try {
        for (long left = deadline - System.nanoTime();
            inFlight.get() > 0 && left > 0;
            left = deadline - System.nanoTime()) {
          inFlight.wait(Math.max(1, left / 1_000_000));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // stop(n) on JDK 17 always waits n seconds; the exchanges have drained already.
    server.stop(0);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
    LOG.info("serve server stopped");
  }

  private interface Route {
    ServeEndpoints.Reply handle(HttpExchange exchange) throws IOException;
  }

  private interface Body {
    ServeEndpoints.Reply get() throws IOException;
  }

  private void route(String path, String endpoint, String method, Route route) {
    server.createContext(
        path,
        ex ->
            serve(
                ex,
                endpoint,
                () -> {
                  if (!ServeEndpoints.path(ex).equals(path)) {
                    throw new ServeError(
                        404, "not_found", "no such endpoint: " + ServeEndpoints.path(ex));
                  }
                  if (!ex.getRequestMethod().equals(method)) {
                    throw new ServeError(
                        405,
                        "method_not_allowed",
                        path + " takes " + method + ", not " + ex.getRequestMethod());
                  }
                  return route.handle(ex);
                }));
  }

  /** Runs one exchange: never throws, always answers (unless the client left), always records. */
  private void serve(HttpExchange ex, String endpoint, Body body) {
    long t0 = System.nanoTime();
    inFlight.incrementAndGet();
    ServeEndpoints.Reply reply;
    try {
      if (closing) {
        throw new ServeError(503, "shutting_down", "the server is shutting down");
      }
      reply = body.get();
    } catch (ServeError e) {
      metrics.error(endpoint, e.code());
      reply =
          new ServeEndpoints.Reply(
              e.status(),
              ServeEndpoints.JSON,
              json.error(e.code(), e.getMessage()),
              switch (e.status()) {
                case 503 -> "Retry-After";
                case 405 -> "Allow";
                case 413 -> "Connection";
                default -> null;
              },
              switch (e.status()) {
                case 503 -> "1";
                case 405 -> allowed(endpoint);
                case 413 -> "close";
                default -> null;
              });
    } catch (RuntimeException | IOException e) {
      LOG.error("{} {} failed", ex.getRequestMethod(), ServeEndpoints.path(ex), e);
      metrics.error(endpoint, "internal");
      reply =
          new ServeEndpoints.Reply(
              500,
              ServeEndpoints.JSON,
              json.error("internal", "unexpected error: " + e),
              null,
              null);
    }
    try {
      ex.getResponseHeaders().set("Content-Type", reply.contentType());
      if (reply.header() != null) {
        ex.getResponseHeaders().set(reply.header(), reply.value());
      }
      ex.sendResponseHeaders(reply.status(), reply.body().length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(reply.body());
      }
    } catch (IOException e) {
      LOG.debug(
          "could not answer {} {}: {}",
          ex.getRequestMethod(),
          ServeEndpoints.path(ex),
          e.toString());
    } finally {
      ex.close();
      metrics.request(endpoint, reply.status(), System.nanoTime() - t0);
      if (inFlight.decrementAndGet() == 0 && closing) {
        synchronized (inFlight) {
          inFlight.notifyAll();
        }
      }
    }
  }

  private static String allowed(String endpoint) {
    return endpoint.equals("predict") ? "POST" : "GET";
  }

  private ThreadPoolExecutor newExecutor(int threads, int queueCapacity) {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(
        threads,
        threads,
        0,
        TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(queueCapacity),
        r -> {
          Thread t = new Thread(r, "mtl-serve-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        },
        (r, pool) -> {
          metrics.overloaded();
          // The JDK server closes the connection when its executor refuses an exchange.
          throw new RejectedExecutionException("all serve workers and queue slots are busy");
        });
  }

  /** Builds a {@link ServeServer}; not thread-safe. */
  public static final class Builder {
    private ModelSource models;
    private PrometheusMeterRegistry registry;
    private String host = "127.0.0.1";
    private int port = 8080;
    private int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    private int queueCapacity = 256;
    private int backlog = 128;
    private int maxBodyBytes = 4 << 20;
    private int maxRows = 1024;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Where the served models come from, e.g. a {@link SnapshotSubscriber}; required. */
    public Builder setModels(ModelSource value) {
      models = value;
      return this;
    }

    /** The registry {@code /metrics} scrapes (share it with the subscriber); default a new one. */
    public Builder optRegistry(PrometheusMeterRegistry value) {
      registry = value;
      return this;
    }

    /** Address to bind; default {@code 127.0.0.1} (loopback only). */
    public Builder optHost(String value) {
      host = value;
      return this;
    }

    /** Port; default 8080, 0 picks a free one. */
    public Builder optPort(int value) {
      port = value;
      return this;
    }

    /** Worker threads; default max(2, cores). */
    public Builder optThreads(int value) {
      threads = value;
      return this;
    }

    /** Connections that may wait for a worker; default 256. */
    public Builder optQueueCapacity(int value) {
      queueCapacity = value;
      return this;
    }

    /** Largest request body; default 4 MiB. */
    public Builder optMaxBodyBytes(int value) {
      maxBodyBytes = value;
      return this;
    }

    /** Most rows per prediction request; default 1024. */
    public Builder optMaxRows(int value) {
      maxRows = value;
      return this;
    }

    /** Clock for the model's age and freshness; default UTC system clock. */
    public Builder optClock(Clock value) {
      clock = value;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the missing or invalid setting
     */
    public ServeServer build() {
      Objects.requireNonNull(models, "setModels is required");
      require(host != null && !host.isBlank(), "optHost must not be blank");
      require(port >= 0 && port <= 65_535, "optPort must be in [0, 65535], got " + port);
      require(threads >= 1, "optThreads must be >= 1, got " + threads);
      require(queueCapacity >= 1, "optQueueCapacity must be >= 1, got " + queueCapacity);
      require(maxBodyBytes >= 1024, "optMaxBodyBytes must be >= 1024, got " + maxBodyBytes);
      require(maxRows >= 1, "optMaxRows must be >= 1, got " + maxRows);
      Objects.requireNonNull(clock, "optClock must not be null");
      if (registry == null) {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      }
      return new ServeServer(this);
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
