package io.mtlstream.serve;

import static io.mtlstream.serve.ServeFixtures.jsonRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mtlstream.event.LabeledEvent;
import io.mtlstream.generate.EventPublisher;
import io.mtlstream.generate.ToyEventSource;
import io.mtlstream.kafka.EmbeddedKafkaBroker;
import io.mtlstream.kafka.TopicProvisioner;
import io.mtlstream.kafka.TopicSpec;
import io.mtlstream.runtime.LearnerApp;
import io.mtlstream.runtime.config.MtlConfig;
import io.mtlstream.runtime.config.MtlKeys;
import io.mtlstream.runtime.config.Settings;
import io.mtlstream.snapshot.Snapshot;
import io.mtlstream.snapshot.SnapshotCodec;
import io.mtlstream.snapshot.SnapshotTopicReader;
import io.mtlstream.train.MiniBatch;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.MultiTaskLearner;
import io.mtlstream.train.TaskRows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshot topic → subscriber → HTTP, against a real KRaft broker in this JVM. */
class ServeEndToEndTest {

  private static final double TOLERANCE = 1e-6;
  private static final Duration WAIT = Duration.ofMinutes(2);

  @Test
  void shouldServeTheLearnersPredictionsAndKeepTheModelWhenSnapshotsAreBad() throws Exception {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Queue<String> rejections = new ConcurrentLinkedQueue<>();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
      String bootstrap = broker.bootstrapServers();
      provisionSnapshotTopic(bootstrap);
      try (MultiTaskLearner learner = ServeFixtures.learner(ServeFixtures.MIXED);
          KafkaProducer<byte[], byte[]> producer = transactionalProducer(bootstrap);
          SnapshotSubscriber subscriber =
              SnapshotSubscriber.builder()
                  .setBootstrapServers(bootstrap)
                  .optMeterRegistry(registry)
                  .optListener(
                      new SnapshotListener() {
                        @Override
                        public void onRejected(String model, String reason, String message) {
                          rejections.add(reason + ": " + message);
                        }
                      })
                  .build()
                  .start();
          ServeServer server =
              ServeServer.builder()
                  .setModels(subscriber)
                  .optRegistry(registry)
                  .optPort(0)
                  .build()
                  .start()) {
        HttpTestClient http = new HttpTestClient(server.baseUri());
        producer.initTransactions();
        SplittableRandom random = new SplittableRandom(17);
        float[] x = ServeFixtures.features(random, 16 * 8);

        ServeFixtures.train(learner, 20, random);
        byte[] step20 = ServeFixtures.snapshot("default", learner);
        publish(producer, step20);
        subscriber.awaitModel("default", m -> m.step() == 20, WAIT).orElseThrow();
        assertServesTheLearnersPredictions(http, learner, x, 16);
        assertModel(http, 20, SnapshotCodec.decode(step20).sha256Hex());

        ServeFixtures.train(learner, 10, random);
        byte[] step30 = ServeFixtures.snapshot("default", learner);
        publish(producer, step30);
        subscriber.awaitModel("default", m -> m.step() == 30, WAIT).orElseThrow();
        assertServesTheLearnersPredictions(http, learner, x, 16);
        String version30 = SnapshotCodec.decode(step30).sha256Hex();
        assertModel(http, 30, version30);

        publish(producer, ServeFixtures.corrupted(step30));
        publish(producer, ServeFixtures.withVersion(step30, 2));
        await()
            .atMost(WAIT)
            .until(() -> subscriber.rejections().values().stream().mapToLong(n -> n).sum() == 2);

        assertThat(subscriber.rejections())
            .containsEntry("checksum_mismatch", 1L)
            .containsEntry("unsupported_version", 1L);
        assertThat(rejections)
            .anySatisfy(r -> assertThat(r).startsWith("checksum_mismatch: snapshot checksum"))
            .anySatisfy(r -> assertThat(r).startsWith("unsupported_version: "));
        assertModel(http, 30, version30);
        assertServesTheLearnersPredictions(http, learner, x, 16);
        String metrics = http.get("/metrics").body();
        assertThat(metrics)
            .contains(
                "mtl_serve_snapshots_rejected_snapshots_total{model=\"default\","
                    + "reason=\"checksum_mismatch\"} 1.0")
            .contains(
                "mtl_serve_snapshots_rejected_snapshots_total{model=\"default\","
                    + "reason=\"unsupported_version\"} 1.0")
            .contains("mtl_serve_snapshots_loaded_snapshots_total{model=\"default\"} 2.0")
            .contains("mtl_serve_model_steps{model=\"default\"} 30.0")
            .contains("mtl_serve_model_age_seconds{model=\"default\"}");
      }
    }
  }

  /**
   * The real pipeline: the learner trains on generated events and publishes snapshots; serve
   * answers with them. A replica learner fed the same events in the same batches (one task, one
   * partition: a deterministic order) stands for "the learner's own predictions".
   */
  @Test
  void shouldServeTheSnapshotsTheRunningLearnerPublished(@TempDir Path state) throws Exception {
    int batch = 20;
    int steps = 30;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
      String bootstrap = broker.bootstrapServers();
      MtlConfig config = MtlConfig.load(null, Map.of(), learnerConfig(bootstrap, state, batch));
      try (SnapshotSubscriber subscriber =
              SnapshotSubscriber.builder().setBootstrapServers(bootstrap).build().start();
          ServeServer server = ServeServer.builder().setModels(subscriber).optPort(0).build()) {
        server.start();
        try (LearnerApp app = new LearnerApp(config, new SimpleMeterRegistry()).start();
            EventPublisher publisher =
                EventPublisher.builder()
                    .setProducer(EventPublisher.newProducer(bootstrap, Map.of()))
                    .setSource(toyEvents())
                    .build()) {
          assertThat(publisher.run((long) steps * batch)).isEqualTo((long) steps * batch);
          subscriber.awaitModel("default", m -> m.step() == steps, WAIT).orElseThrow();
        }
        Snapshot published;
        try (var reader =
            new SnapshotTopicReader(bootstrap, SnapshotTopicReader.DEFAULT_TOPIC, Map.of())) {
          published = reader.readLatest("default", Duration.ofSeconds(30)).orElseThrow();
        }
        HttpTestClient http = new HttpTestClient(server.baseUri());
        assertModel(http, steps, published.sha256Hex());
        try (MultiTaskLearner replica = replica(config, steps, batch)) {
          assertThat(replica.parameters()).containsExactly(published.parameters());
          float[] x = ServeFixtures.features(new SplittableRandom(5), 3 * 250);
          assertServesTheLearnersPredictions(http, replica, x, 3);
        }
      }
    }
  }

  private static Map<String, String> learnerConfig(String bootstrap, Path state, int batch) {
    Map<String, String> s = new HashMap<>();
    s.put("bootstrap.servers", bootstrap);
    s.put("application.id", "mtl-serve-e2e");
    s.put("state.dir", state.toString());
    s.put(MtlKeys.MODEL_INPUTS.key(), "250");
    s.put(MtlKeys.MODEL_TRUNK.key(), "32,16");
    s.put(MtlKeys.TASKS.key(), "task0");
    s.put(MtlKeys.task("task0", MtlKeys.TASK_TYPE), "regression");
    s.put(MtlKeys.task("task0", MtlKeys.TASK_OUTPUTS), "100");
    s.put(MtlKeys.BATCH_SIZE.key(), Integer.toString(batch));
    s.put(MtlKeys.REPORT_EVERY.key(), "10");
    s.put(MtlKeys.SNAPSHOT_EVERY.key(), "10");
    s.put(MtlKeys.CHECKPOINT_EVERY.key(), "10");
    // Publish every due snapshot: this test waits for the last one.
    s.put("mtl.gate.tolerance", "-1");
    return s;
  }

  private static ToyEventSource toyEvents() {
    return ToyEventSource.builder().setSigmas(1.0).build();
  }

  /** A learner trained on the same events, in the same count-based batches, as the pipeline's. */
  private static MultiTaskLearner replica(MtlConfig config, int steps, int batch) {
    MultiTaskLearner learner = MultiTaskLearner.create(Settings.learner(config));
    ModelSpec spec = learner.spec();
    try (ToyEventSource events = toyEvents()) {
      for (int s = 0; s < steps; s++) {
        float[] x = new float[batch * spec.inputs()];
        float[] y = new float[batch * spec.task(0).labelWidth()];
        for (int r = 0; r < batch; r++) {
          LabeledEvent e = events.next();
          e.copyFeaturesInto(x, r * spec.inputs());
          e.copyLabelInto(y, r * spec.task(0).labelWidth());
        }
        learner.step(MiniBatch.of(new TaskRows(0, batch, x, y)));
      }
    }
    return learner;
  }

  private static void assertServesTheLearnersPredictions(
      HttpTestClient http, MultiTaskLearner learner, float[] x, int rows) throws Exception {
    ModelSpec spec = learner.spec();
    var reply = http.post("/predict", "{\"rows\":" + jsonRows(x, rows, spec.inputs()) + "}");
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.json().get("step").asLong()).isEqualTo(learner.steps());
    for (int t = 0; t < spec.taskCount(); t++) {
      float[] expected = learner.predict(t, x, rows);
      JsonNode out = reply.json().get("outputs").get(spec.task(t).name());
      int width = spec.task(t).outputs();
      for (int r = 0; r < rows; r++) {
        JsonNode row = out.get(out.has("probability") ? "probability" : fieldOf(out)).get(r);
        for (int k = 0; k < width; k++) {
          double actual = row.isArray() ? row.get(k).asDouble() : row.asDouble();
          assertThat(actual)
              .as("task %s row %d output %d", spec.task(t).name(), r, k)
              .isCloseTo(expected[r * width + k], within(TOLERANCE));
        }
      }
    }
  }

  private static String fieldOf(JsonNode taskOutput) {
    return taskOutput.has("values") ? "values" : "probabilities";
  }

  private static void assertModel(HttpTestClient http, long step, String version) throws Exception {
    var reply = http.get("/model");
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.json().get("step").asLong()).isEqualTo(step);
    assertThat(reply.json().get("version").asText()).isEqualTo(version);
    assertThat(http.get("/health/ready").status()).isEqualTo(200);
  }

  private static void provisionSnapshotTopic(String bootstrap) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      new TopicProvisioner(admin, Duration.ofSeconds(30))
          .provision(List.of(TopicSpec.snapshots(1, TopicSpec.DEFAULT_SNAPSHOT_MAX_BYTES)));
    }
  }

  private static KafkaProducer<byte[], byte[]> transactionalProducer(String bootstrap) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "serve-e2e-learner");
    c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20);
    c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    return new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** One snapshot in one committed transaction, as the learner publishes. */
  private static void publish(KafkaProducer<byte[], byte[]> producer, byte[] snapshot) {
    producer.beginTransaction();
    producer.send(
        new ProducerRecord<>(
            TopicSpec.SNAPSHOTS, "default".getBytes(StandardCharsets.UTF_8), snapshot));
    producer.commitTransaction();
  }
}
