package io.mtlstream.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A loopback HTTP client for the serving tests; every call is bounded by a timeout. */
final class HttpTestClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One answer: status, raw body, the body as JSON (null if not JSON) and its content type. */
  record Reply(int status, String body, JsonNode json, String contentType, HttpResponse<?> raw) {}

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final URI base;

  HttpTestClient(URI base) {
    this.base = base;
  }

  Reply get(String path) throws IOException, InterruptedException {
    return send(request(path).GET().build());
  }

  Reply post(String path, String body) throws IOException, InterruptedException {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  Reply send(String method, String path, HttpRequest.BodyPublisher body)
      throws IOException, InterruptedException {
    return send(request(path).method(method, body).build());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
  }

  private Reply send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode json = null;
    String type = r.headers().firstValue("Content-Type").orElse("");
    if (type.startsWith("application/json")) {
      json = JSON.readTree(r.body());
    }
    return new Reply(r.statusCode(), r.body(), json, type, r);
  }
}
