package io.mtlstream.observe;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mtlstream.event.LabeledEvent;
import io.mtlstream.generate.EventPublisher;
import io.mtlstream.generate.ToyEventSource;
import io.mtlstream.kafka.EmbeddedKafkaBroker;
import io.mtlstream.runtime.LearnerApp;
import io.mtlstream.runtime.MetricsEndpoint;
import io.mtlstream.runtime.config.MtlConfig;
import io.mtlstream.runtime.config.MtlKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every PromQL expression of every panel of every dashboard under {@code grafana/dashboards}, and
 * every {@code label_values} template variable, returns data from a real Prometheus that scrapes
 * the real pipeline: the in-process broker; the learner with its metrics endpoint, fed a paced
 * stream of toy events (one regression and one binary task) plus a few bad records; the serving
 * side (snapshot subscriber and HTTP server, with /predict traffic and one corrupt snapshot); and
 * the {@code prometheus} binary scraping both every second. Skipped when no {@code prometheus}
 * binary is installed (Debian: {@code apt-get install prometheus}).
 */
class DashboardQueriesTest {

  private static final Path DASHBOARDS = Path.of("grafana/dashboards");
  private static final int BATCH = 25;
  private static final int INPUTS = 250; // the toy tasks' feature count
  private static final double EVENTS_PER_SECOND = 500;
  private static final Map<String, String> VARIABLES =
      Map.of(
          "model", "default",
          "task", "task0|task1",
          "__rate_interval", "1m",
          "__interval", "15s",
          "__range", "5m");

  @Test
  void shouldAnswerEveryDashboardQueryFromARealPrometheus(@TempDir Path dir) throws Exception {
    Path binary = PrometheusProcess.findBinary().orElse(null);
    Assumptions.assumeTrue(
        binary != null,
        "no prometheus binary (/usr/bin/prometheus or on PATH); apt-get install prometheus");
    List<DashboardQueries.Query> queries = new ArrayList<>();
    for (Path file : DashboardQueries.files(DASHBOARDS)) {
      queries.addAll(DashboardQueries.variableQueries(file));
      queries.addAll(DashboardQueries.panelQueries(file));
    }
    assertThat(queries).as("queries in %s", DASHBOARDS).isNotEmpty();

    int metricsPort = PrometheusProcess.freePort();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
      String bootstrap = broker.bootstrapServers();
      PrometheusMeterRegistry registry = MetricsEndpoint.newRegistry();
      MtlConfig config = MtlConfig.load(null, Map.of(), config(bootstrap, dir, metricsPort));
      try (LearnerApp app = new LearnerApp(config, registry).start();
          ToyEventSource toy = ToyEventSource.builder().setSigmas(1, 10).build();
          EventPublisher publisher =
              EventPublisher.builder()
                  .setProducer(EventPublisher.newProducer(bootstrap, Map.of()))
                  .setSource(new SecondTaskBinary(toy))
                  .optRate(EVENTS_PER_SECOND)
                  .build();
          ServingSide serving = new ServingSide(bootstrap, INPUTS);
          PrometheusProcess prometheus =
              PrometheusProcess.start(
                  binary,
                  List.of("127.0.0.1:" + metricsPort, serving.target()),
                  dir.resolve("p"))) {
        assertThat(app.metricsUrl()).contains("http://127.0.0.1:" + metricsPort + "/metrics");
        assertThat(app.awaitRunning(Duration.ofMinutes(2))).as("learner running").isTrue();
        sendBadRecords(bootstrap);
        ServingSide.publishCorruptSnapshot(bootstrap);
        CompletableFuture<Long> feed =
            CompletableFuture.supplyAsync(() -> publisher.run(EventPublisher.UNLIMITED));
        prometheus.awaitReady(Duration.ofSeconds(60));
        try {
          // A few scrapes of a learner that has trained, published and left warm-up, and of a
          // serving side that loaded one of its snapshots.
          JsonNode warm =
              prometheus.await(
                  "count_over_time(mtl_snapshots_published_total[1m]) >= 5"
                      + " and mtl_snapshots_published_total > 0"
                      + " and on (model) count by (model) (mtl_gradnorm_loss >= 0) > 0"
                      + " and on (model) count by (model) (mtl_serve_model_steps > 0) > 0",
                  r -> r.size() > 0,
                  Duration.ofMinutes(3));
          assertThat(warm)
              .as(
                  "learner trained and published, serving loaded; prometheus log:%n%s",
                  prometheus.logText())
              .isNotEmpty();

          List<String> empty = new ArrayList<>();
          for (DashboardQueries.Query q : queries) {
            String expr = DashboardQueries.substitute(q.expr(), VARIABLES);
            JsonNode result = prometheus.await(expr, r -> r.size() > 0, Duration.ofSeconds(20));
            if (result.size() == 0) {
              empty.add(q + "\n    as run: " + expr);
            }
          }
          assertThat(empty)
              .as(
                  "queries without data (of %d); last scrape:%n%s",
                  queries.size(), registry.scrape())
              .isEmpty();
        } finally {
          publisher.stop();
          feed.join();
        }
      }
    }
  }

  private static Map<String, String> config(String bootstrap, Path dir, int metricsPort) {
    Map<String, String> s = new HashMap<>();
    s.put("bootstrap.servers", bootstrap);
    s.put("application.id", "mtl-observe");
    s.put("state.dir", dir.resolve("state").toString());
    s.put(MtlKeys.MODEL_INPUTS.key(), Integer.toString(INPUTS));
    s.put(MtlKeys.MODEL_TRUNK.key(), "32,32");
    s.put(MtlKeys.TASKS.key(), "task0,task1");
    s.put(MtlKeys.task("task0", MtlKeys.TASK_TYPE), "regression");
    s.put(MtlKeys.task("task0", MtlKeys.TASK_OUTPUTS), "100");
    s.put(MtlKeys.task("task1", MtlKeys.TASK_TYPE), "binary");
    s.put(MtlKeys.BATCH_SIZE.key(), Integer.toString(BATCH));
    s.put(MtlKeys.REPORT_EVERY.key(), "4");
    s.put(MtlKeys.SNAPSHOT_EVERY.key(), "10");
    s.put(MtlKeys.CHECKPOINT_EVERY.key(), "20");
    s.put(MtlKeys.METRICS_PORT.key(), Integer.toString(metricsPort));
    return s;
  }

  /** One record per dead-letter path the DLQ panel shows (counted by reason). */
  private static void sendBadRecords(String bootstrap) throws Exception {
    try (Producer<byte[], byte[]> p = EventPublisher.newProducer(bootstrap, Map.of())) {
      for (String bad : List.of("{\"features\":[1,2", "{\"features\":[1,2,3],\"label\":1}")) {
        p.send(new ProducerRecord<>("mtl.events.task0", null, bad.getBytes(UTF_8))).get();
      }
    }
  }

  /** The toy stream with its second task turned binary (label: sign of its first output). */
  private record SecondTaskBinary(Iterator<LabeledEvent> toy) implements Iterator<LabeledEvent> {
    @Override
    public boolean hasNext() {
      return toy.hasNext();
    }

    @Override
    public LabeledEvent next() {
      LabeledEvent e = toy.next();
      if (!e.task().equals("task1")) {
        return e;
      }
      float label = e.label(0) > 0 ? 1 : 0;
      return new LabeledEvent(
          e.id(), e.model(), e.task(), e.features(), new float[] {label}, e.timestamp());
    }
  }
}
