package io.mtlstream.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Lifecycle of the broker's data dir; each test starts its own brokers. */
@Timeout(120)
class EmbeddedKafkaBrokerRestartTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void shouldKeepTopicsAndRecordsWhenRestartedOnTheSameDataDir(@TempDir Path dir) throws Exception {
    String firstClusterId;
    long t0 = System.nanoTime();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().optDataDir(dir).build()) {
      broker.start();
      long started = System.nanoTime();
      System.out.printf("[timing] first start (format): %d ms%n", (started - t0) / 1_000_000);
      try (Admin admin = KafkaTestClients.admin(broker.bootstrapServers())) {
        new TopicProvisioner(admin, WAIT).provision(List.of(TopicSpec.events("keep", 1)));
        firstClusterId = admin.describeCluster().clusterId().get();
      }
      try (KafkaProducer<String, byte[]> producer =
          KafkaTestClients.producer(broker.bootstrapServers(), Map.of())) {
        producer.send(new ProducerRecord<>("mtl.events.keep", "k", "v".getBytes(UTF_8))).get();
      }
    }
    assertThat(dir)
        .isDirectoryContaining(p -> p.getFileName().toString().equals("meta.properties"));

    long t1 = System.nanoTime();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().optDataDir(dir).build()) {
      broker.start();
      System.out.printf(
          "[timing] restart on existing dir: %d ms%n", (System.nanoTime() - t1) / 1_000_000);
      try (Admin admin = KafkaTestClients.admin(broker.bootstrapServers())) {
        // Same cluster id: the dir was reused, not re-formatted.
        assertThat(admin.describeCluster().clusterId().get()).isEqualTo(firstClusterId);
      }
      List<ConsumerRecord<String, byte[]>> got =
          KafkaTestClients.readAtLeast(
              broker.bootstrapServers(), "mtl.events.keep", 1, Map.of(), WAIT);
      assertThat(got).singleElement().satisfies(r -> assertThat(r.key()).isEqualTo("k"));
    }
    assertThat(dir).exists();
  }

  @Test
  void shouldRefuseToStartAgainAfterClose() {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build();
    broker.close();

    assertThatThrownBy(broker::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
