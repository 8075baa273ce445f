package io.mtlstream.observe;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mtlstream.generate.EventPublisher;
import io.mtlstream.serve.ServeServer;
import io.mtlstream.serve.SnapshotSubscriber;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The serving process of the pipeline, in this JVM: a snapshot subscriber and the HTTP server over
 * one registry, wired as {@code mtlstream serve} wires them (a plain Prometheus registry, so the
 * rendered names are the ones production shows), plus steady /predict traffic — mostly valid
 * requests, every fifth with a wrong feature count. Owns all of it; {@link #close()} stops it.
 */
final class ServingSide implements AutoCloseable {

  private final SnapshotSubscriber subscriber;
  private final ServeServer server;
  private final ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor();
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicLong sent = new AtomicLong();

  ServingSide(String bootstrap, int inputs) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.subscriber =
        SnapshotSubscriber.builder()
            .setBootstrapServers(bootstrap)
            .optModelId("default")
            .optMeterRegistry(registry)
            .build();
    this.server =
        ServeServer.builder().setModels(subscriber).optRegistry(registry).optPort(0).build();
    server.start();
    subscriber.start();
    SplittableRandom random = new SplittableRandom(3);
    traffic.scheduleAtFixedRate(() -> predict(random, inputs), 0, 20, TimeUnit.MILLISECONDS);
  }

  /** {@code 127.0.0.1:port} of the server, for Prometheus. */
  String target() {
    return "127.0.0.1:" + server.port();
  }

  /** A record on the snapshot topic that is not a snapshot, so the subscriber rejects one. */
  static void publishCorruptSnapshot(String bootstrap) throws Exception {
    try (Producer<byte[], byte[]> p = EventPublisher.newProducer(bootstrap, Map.of())) {
      byte[] junk = "not a snapshot".getBytes(UTF_8);
      p.send(new ProducerRecord<>("mtl.snapshots", "default".getBytes(UTF_8), junk)).get();
    }
  }

  private void predict(SplittableRandom random, int inputs) {
    int n = sent.incrementAndGet() % 5 == 0 ? 3 : inputs;
    StringBuilder body = new StringBuilder("{\"features\":[");
    for (int i = 0; i < n; i++) {
      body.append(i == 0 ? "" : ",").append((float) random.nextGaussian());
    }
    body.append("]}");
    HttpRequest request =
        HttpRequest.newBuilder(server.baseUri().resolve(URI.create("/predict")))
            .timeout(Duration.ofSeconds(5))
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    try {
      http.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (Exception e) {
      // Traffic only; the dashboards' queries judge what the server counted.
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    traffic.shutdownNow();
    try {
      traffic.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.close();
    subscriber.close();
  }
}
