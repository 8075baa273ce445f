package io.mtlstream.kafka;

import static io.mtlstream.kafka.KafkaTestClients.readAtLeast;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One broker for the whole class: each start costs seconds. */
@Timeout(120)
class EmbeddedKafkaBrokerTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private static EmbeddedKafkaBroker broker;
  private static Admin admin;

  @BeforeAll
  static void startBrokerAndProvision() {
    long t0 = System.nanoTime();
    broker = EmbeddedKafkaBroker.builder().build().start();
    System.out.printf("[timing] fresh broker start: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    admin = KafkaTestClients.admin(broker.bootstrapServers());
    new TopicProvisioner(admin, WAIT).provision(TopicSpec.standard(List.of("ctr", "rating"), 2));
  }

  @AfterAll
  static void stopBrokerAndDeleteItsTempDir() {
    if (admin != null) {
      admin.close();
    }
    if (broker != null) {
      Path dataDir = broker.dataDir();
      broker.close();
      assertThat(dataDir).doesNotExist();
    }
  }

  @Test
  void shouldListenOnLoopbackAndIgnoreASecondStart() {
    assertThat(broker.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
    assertThat(broker.start()).isSameAs(broker);
  }

  @Test
  void shouldFailNamingTheAddressWhenTheRequestedPortIsTaken() {
    String taken = broker.bootstrapServers();
    int port = Integer.parseInt(taken.substring(taken.indexOf(':') + 1));
    EmbeddedKafkaBroker second = EmbeddedKafkaBroker.builder().optPort(port).build();

    assertThatThrownBy(second::start)
        .satisfies(e -> assertThat(LoopbackPorts.mentions(e, port)).isTrue());
    assertThatThrownBy(second::bootstrapServers).hasMessageContaining("CLOSED");
  }

  @Test
  void shouldProvisionEveryProjectTopic() throws Exception {
    assertThat(admin.listTopics().names().get())
        .contains("mtl.events.ctr", "mtl.events.rating", "mtl.dlq", "mtl.metrics", "mtl.snapshots");
    assertThat(admin.describeTopics(List.of("mtl.events.ctr")).allTopicNames().get())
        .hasEntrySatisfying("mtl.events.ctr", d -> assertThat(d.partitions()).hasSize(2));
  }

  @Test
  void shouldCreateSnapshotTopicCompactedWithLargeMessages() throws Exception {
    ConfigResource snapshots = new ConfigResource(ConfigResource.Type.TOPIC, TopicSpec.SNAPSHOTS);
    Config config = admin.describeConfigs(List.of(snapshots)).all().get().get(snapshots);
    assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
    assertThat(config.get("max.message.bytes").value())
        .isEqualTo(Integer.toString(256 * 1024 * 1024));
  }

  @Test
  void shouldRoundTripARecordOnAnEventTopic() throws Exception {
    try (KafkaProducer<String, byte[]> producer = producer(Map.of())) {
      producer.send(new ProducerRecord<>("mtl.events.ctr", "m1", "hello".getBytes(UTF_8))).get();
    }
    List<ConsumerRecord<String, byte[]>> got =
        readAtLeast(broker.bootstrapServers(), "mtl.events.ctr", 1, Map.of(), WAIT);
    assertThat(got).singleElement().satisfies(r -> assertThat(r.key()).isEqualTo("m1"));
    assertThat(new String(got.get(0).value(), UTF_8)).isEqualTo("hello");
  }

  @Test
  void shouldRoundTripAFiveMebibyteSnapshot() throws Exception {
    byte[] payload = new byte[5 * 1024 * 1024];
    new Random(7).nextBytes(payload);
    try (KafkaProducer<String, byte[]> producer = producer(Map.of())) {
      producer.send(new ProducerRecord<>(TopicSpec.SNAPSHOTS, "model-a", payload)).get();
    }
    List<ConsumerRecord<String, byte[]>> got =
        readAtLeast(broker.bootstrapServers(), TopicSpec.SNAPSHOTS, 1, Map.of(), WAIT);
    assertThat(got).singleElement().satisfies(r -> assertThat(r.value()).isEqualTo(payload));
  }

  @Test
  void shouldShowCommittedButNotAbortedTransactionsToReadCommittedConsumers() throws Exception {
    Map<String, Object> txn =
        Map.of(
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            "test-txn",
            // initTransactions() is bounded by max.block.ms: hangs here mean wrong RF/min ISR.
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            10_000);
    try (KafkaProducer<String, byte[]> producer = producer(txn)) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("mtl.metrics", "m", "aborted".getBytes(UTF_8)));
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("mtl.metrics", "m", "committed".getBytes(UTF_8)));
      producer.commitTransaction();
    }
    Map<String, Object> readCommitted =
        Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, byte[]>> got =
        readAtLeast(broker.bootstrapServers(), "mtl.metrics", 1, readCommitted, WAIT);
    assertThat(got).extracting(r -> new String(r.value(), UTF_8)).containsExactly("committed");
  }

  private static KafkaProducer<String, byte[]> producer(Map<String, Object> extra) {
    return KafkaTestClients.producer(broker.bootstrapServers(), extra);
  }
}
