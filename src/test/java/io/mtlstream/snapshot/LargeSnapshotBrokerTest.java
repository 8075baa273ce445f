package io.mtlstream.snapshot;

import static io.mtlstream.snapshot.SnapshotFixtures.manifest;
import static io.mtlstream.snapshot.SnapshotFixtures.parameterCount;
import static io.mtlstream.snapshot.SnapshotFixtures.parameters;
import static org.assertj.core.api.Assertions.assertThat;

import io.mtlstream.kafka.EmbeddedKafkaBroker;
import io.mtlstream.kafka.TopicProvisioner;
import io.mtlstream.kafka.TopicSpec;
import io.mtlstream.train.Activation;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.TaskSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** A snapshot far above Kafka's 1 MB defaults, through a real broker and the topic's settings. */
class LargeSnapshotBrokerTest {

  @Test
  void shouldPublishAndVerifyATwentyMegabyteSnapshotThroughTheBroker() throws Exception {
    ModelSpec spec =
        new ModelSpec(
            500, new int[] {2000, 2000}, Activation.RELU, List.of(TaskSpec.binary("click", 16)));
    float[] params = parameters(parameterCount(spec), 21);
    byte[] snapshot = SnapshotCodec.encode(manifest(spec), params);
    assertThat(snapshot.length).isGreaterThan(20_000_000);

    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
      String bootstrap = broker.bootstrapServers();
      try (Admin admin =
          Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        new TopicProvisioner(admin, Duration.ofSeconds(30))
            .provision(List.of(TopicSpec.snapshots(1, TopicSpec.DEFAULT_SNAPSHOT_MAX_BYTES)));
      }
      Map<String, Object> c =
          Map.of(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
              ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 32 << 20,
              ProducerConfig.BUFFER_MEMORY_CONFIG, 64L << 20);
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer())) {
        producer
            .send(
                new ProducerRecord<>(
                    TopicSpec.SNAPSHOTS, "default".getBytes(StandardCharsets.UTF_8), snapshot))
            .get(60, TimeUnit.SECONDS);
      }
      try (SnapshotTopicReader reader =
          new SnapshotTopicReader(bootstrap, TopicSpec.SNAPSHOTS, Map.of())) {
        Snapshot read = reader.readLatest("default", Duration.ofSeconds(60)).orElseThrow();

        assertThat(read.sha256Hex()).isEqualTo(SnapshotCodec.decode(snapshot).sha256Hex());
        assertThat(read.parameters()).hasSize(params.length);
      }
    }
  }
}
