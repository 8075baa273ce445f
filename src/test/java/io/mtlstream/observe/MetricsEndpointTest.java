package io.mtlstream.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mtlstream.runtime.MetricsEndpoint;
import io.mtlstream.runtime.config.MtlConfig;
import io.mtlstream.runtime.config.MtlKeys;
import io.mtlstream.runtime.config.Settings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The learner's HTTP endpoint: Prometheus text at /metrics, liveness at /health, nothing else. */
class MetricsEndpointTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void shouldServeTheRegistryAsPrometheusTextAndReportHealth() throws Exception {
    PrometheusMeterRegistry registry = MetricsEndpoint.newRegistry();
    Counter.builder("mtl.events.accepted").baseUnit("events").register(registry).increment(3);
    AtomicBoolean up = new AtomicBoolean(false);
    try (MetricsEndpoint endpoint =
        MetricsEndpoint.start(
            new InetSocketAddress("127.0.0.1", 0),
            registry,
            () ->
                new MetricsEndpoint.Health(
                    up.get(), "state " + (up.get() ? "RUNNING" : "ERROR")))) {
      assertThat(endpoint.address().getAddress().isLoopbackAddress()).isTrue();
      HttpResponse<String> metrics = send(URI.create(endpoint.metricsUrl()), "GET");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(metrics.body()).contains("mtl_events_accepted_total 3.0");

      URI health = URI.create(endpoint.metricsUrl()).resolve("/health");
      assertThat(send(health, "GET").statusCode()).isEqualTo(503);
      up.set(true);
      HttpResponse<String> ok = send(health, "GET");
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).isEqualTo("UP state RUNNING\n");

      assertThat(send(URI.create(endpoint.metricsUrl()), "POST").statusCode()).isEqualTo(405);
      assertThat(send(health.resolve("/other"), "GET").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void shouldBindLoopbackPort9400ByDefaultAndTurnOffWithPortZero() {
    MtlConfig defaults = MtlConfig.load(null, Map.of(), Map.of());
    assertThat(Settings.metricsAddress(defaults))
        .hasValueSatisfying(
            a -> {
              assertThat(a.getHostString()).isEqualTo("127.0.0.1");
              assertThat(a.getPort()).isEqualTo(9400);
            });
    MtlConfig off = MtlConfig.load(null, Map.of("MTL_METRICS_PORT", "0"), Map.of());
    assertThat(Settings.metricsAddress(off)).isEmpty();
    MtlConfig open = MtlConfig.load(null, Map.of(), Map.of(MtlKeys.METRICS_HOST.key(), "0.0.0.0"));
    assertThat(Settings.metricsAddress(open).orElseThrow().getHostString()).isEqualTo("0.0.0.0");
  }

  private HttpResponse<String> send(URI uri, String method) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
