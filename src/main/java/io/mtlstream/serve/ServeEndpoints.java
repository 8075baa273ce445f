package io.mtlstream.serve;

import com.sun.net.httpserver.HttpExchange;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * What each endpoint of {@link ServeServer} answers; the server adds routing, errors, metrics and
 * the wire. Bad input becomes a {@link ServeError}. Stateless apart from its collaborators, all
 * thread-safe; called from every worker at once.
 */
final class ServeEndpoints {

  static final String JSON = "application/json";
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /** One answer: status, content type, body and at most one extra header. */
  record Reply(int status, String contentType, byte[] body, String header, String value) {}

  private final ModelSource models;
  private final PrometheusMeterRegistry registry;
  private final ServeMetrics metrics;
  private final ServeJson json;
  private final Clock clock;
  private final int maxBodyBytes;
  private final int maxRows;

  ServeEndpoints(
      ModelSource models,
      PrometheusMeterRegistry registry,
      ServeMetrics metrics,
      ServeJson json,
      Clock clock,
      int maxBodyBytes,
      int maxRows) {
    this.models = models;
    this.registry = registry;
    this.metrics = metrics;
    this.json = json;
    this.clock = clock;
    this.maxBodyBytes = maxBodyBytes;
    this.maxRows = maxRows;
  }

  private static Reply ok(byte[] body) {
    return new Reply(200, JSON, body, null, null);
  }

  Reply live(HttpExchange ex) {
    return ok(json.health("live", null));
  }

  Reply predict(HttpExchange ex) throws IOException {
    PredictRequest request = PredictRequest.parse(json.factory(), readBody(ex), maxRows);
    String id = request.model() != null ? request.model() : models.defaultModelId();
    try (ServedModel.Lease lease = lease(id)) {
      ServedModel served = lease.served();
      int inputs = served.spec().inputs();
      if (request.width() != inputs) {
        throw ServeError.badRequest(
            "wrong_feature_count",
            "model '" + id + "' takes " + inputs + " features per row, got " + request.width());
      }
      float[][] outputs = lease.model().predictAll(request.features(), request.rows());
      metrics.rows(request.rows());
      return ok(json.predictions(served, request, outputs));
    }
  }

  Reply model(HttpExchange ex) {
    String id = query(ex, "model");
    try (ServedModel.Lease lease = lease(id != null ? id : models.defaultModelId())) {
      return ok(json.model(lease.served(), clock.millis()));
    }
  }

  Reply ready(HttpExchange ex) {
    var served = models.current(models.defaultModelId());
    if (served.isEmpty()) {
      return new Reply(503, JSON, json.health("not_ready", null), "Retry-After", "1");
    }
    return ok(json.health("ready", served.get()));
  }

  Reply metrics(HttpExchange ex) {
    return new Reply(
        200, PROMETHEUS_TEXT, registry.scrape().getBytes(StandardCharsets.UTF_8), null, null);
  }

  private ServedModel.Lease lease(String id) {
    if (!models.serves(id)) {
      throw new ServeError(404, "unknown_model", "model '" + id + "' is not served here");
    }
    return models
        .acquire(id)
        .orElseThrow(
            () ->
                new ServeError(
                    503, "no_model", "no snapshot of model '" + id + "' has been loaded yet"));
  }

  private byte[] readBody(HttpExchange ex) throws IOException {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      long declared;
      try {
        declared = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        throw ServeError.badRequest("bad_request", "bad Content-Length '" + length + "'");
      }
      if (declared > maxBodyBytes) {
        throw tooLarge();
      }
    }
    try (InputStream in = ex.getRequestBody()) {
      byte[] body = in.readNBytes(maxBodyBytes + 1);
      if (body.length > maxBodyBytes) {
        // A body without (or with a false) Content-Length: read some more of it, so that a client
        // still sending gets to read the answer instead of a reset connection.
        drain(in, 4L * maxBodyBytes);
        throw tooLarge();
      }
      return body;
    }
  }

  private static void drain(InputStream in, long limit) throws IOException {
    byte[] buffer = new byte[16 * 1024];
    long total = 0;
    for (int n; total < limit && (n = in.read(buffer)) > 0; ) {
      total += n;
    }
  }

  private ServeError tooLarge() {
    return new ServeError(
        413, "body_too_large", "request bodies are limited to " + maxBodyBytes + " bytes");
  }

  static String path(HttpExchange ex) {
    return ex.getRequestURI().getPath();
  }

  private static String query(HttpExchange ex, String name) {
    String query = ex.getRequestURI().getRawQuery();
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (key.equals(name) && eq >= 0) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
