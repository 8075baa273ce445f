package io.mtlstream.observe;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Prometheus server in a child process, scraping given targets every second, with its data
 * in a directory of the caller's. Owns the process; {@link #close()} stops it (SIGTERM, then
 * SIGKILL). Not thread-safe.
 */
final class PrometheusProcess implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration POLL = Duration.ofMillis(200);

  private final Process process;
  private final Path log;
  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PrometheusProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.base = "http://127.0.0.1:" + port;
  }

  /** {@code /usr/bin/prometheus}, or {@code prometheus} on the PATH. */
  static Optional<Path> findBinary() {
    Path debian = Path.of("/usr/bin/prometheus");
    if (Files.isExecutable(debian)) {
      return Optional.of(debian);
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isBlank() && Files.isExecutable(Path.of(dir, "prometheus"))) {
        return Optional.of(Path.of(dir, "prometheus"));
      }
    }
    return Optional.empty();
  }

  /** Starts Prometheus scraping {@code targets} ({@code host:port}, path /metrics) every 1 s. */
  static PrometheusProcess start(Path binary, List<String> targets, Path dir) throws IOException {
    Files.createDirectories(dir);
    StringBuilder config =
        new StringBuilder(
            """
            global:
              scrape_interval: 1s
              scrape_timeout: 900ms
              evaluation_interval: 1s
            scrape_configs:
              - job_name: mtlstream
                metrics_path: /metrics
                static_configs:
                  - targets:
            """);
    targets.forEach(t -> config.append("          - '").append(t).append("'\n"));
    Path file = dir.resolve("prometheus.yml");
    Files.writeString(file, config.toString());
    int port = freePort();
    Path log = dir.resolve("prometheus.log");
    Process p =
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + file,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    return new PrometheusProcess(p, log, port);
  }

  /** Polls until {@code /-/ready} answers 200. */
  void awaitReady(Duration timeout) {
    try {
      Awaitility.await("prometheus ready")
          .atMost(timeout)
          .pollInterval(POLL)
          .ignoreException(IOException.class)
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new IllegalStateException("prometheus exited:\n" + logText());
                }
                return get("/-/ready").statusCode() == 200;
              });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException("prometheus not ready in " + timeout + ":\n" + logText(), e);
    }
  }

  /** An instant query's {@code data.result}; throws if Prometheus reports an error. */
  JsonNode query(String promql) throws IOException {
    HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(promql, UTF_8));
    JsonNode body = JSON.readTree(r.body());
    if (!"success".equals(body.path("status").asText())) {
      throw new IllegalArgumentException(
          "query failed: " + promql + " → " + body.path("error").asText(r.body()));
    }
    return body.path("data").path("result");
  }

  /**
   * Polls {@code promql} until its result satisfies {@code done} or the timeout passes; returns the
   * last result either way (the caller asserts on it, with the query in the message).
   */
  JsonNode await(String promql, Predicate<JsonNode> done, Duration timeout) {
    AtomicReference<JsonNode> last = new AtomicReference<>();
    try {
      Awaitility.await(promql)
          .atMost(timeout)
          .pollInterval(POLL)
          .until(
              () -> {
                last.set(query(promql));
                return done.test(last.get());
              });
    } catch (ConditionTimeoutException e) {
      // fall through: the caller reports the last result
    }
    return last.get();
  }

  String logText() {
    try {
      return Files.exists(log) ? Files.readString(log) : "(no log)";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private HttpResponse<String> get(String path) throws IOException {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
