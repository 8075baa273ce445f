package io.mtlstream.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link DirectInputChecks} against a real KRaft broker, one for the class. */
@Timeout(120)
class DirectInputChecksTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension static final SharedBroker KAFKA = new SharedBroker();

  @Test
  void shouldReturnThePartitionCountAllTopicsShare() throws Exception {
    create("shared-a", 3);
    create("shared-b", 3);

    assertThat(
            DirectInputChecks.sharedPartitionCount(
                KAFKA.admin(), List.of("shared-a", "shared-b"), WAIT))
        .isEqualTo(3);
  }

  @Test
  void shouldRejectTopicsWithDifferentPartitionCountsNamingEachCount() throws Exception {
    create("differ-one", 1);
    create("differ-two", 2);

    assertThatThrownBy(
            () ->
                DirectInputChecks.sharedPartitionCount(
                    KAFKA.admin(), List.of("differ-one", "differ-two"), WAIT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("differ-one=1")
        .hasMessageContaining("differ-two=2")
        .hasMessageContaining("mtl.input.partitioned.by.model");
  }

  @Test
  void shouldTellAPartitionCountOrThatTheTopicIsMissing() throws Exception {
    create("counted", 4);

    assertThat(DirectInputChecks.partitionCount(KAFKA.admin(), "counted", WAIT)).hasValue(4);
    assertThat(DirectInputChecks.partitionCount(KAFKA.admin(), "not-there", WAIT)).isEmpty();
  }

  @Test
  void shouldCountNothingOnATopicThatDoesNotExist() {
    assertThat(unconsumed("no-offsets-group", "never-created")).isZero();
  }

  @Test
  void shouldCountEverythingWhenTheGroupHasNoOffsets() throws Exception {
    create("fresh", 2);
    produce("fresh", 0, 4);
    produce("fresh", 1, 3);

    assertThat(unconsumed("fresh-group", "fresh")).isEqualTo(7);
  }

  @Test
  void shouldCountOnlyCommittedRecordsAfterTheGroupsOffset() throws Exception {
    create("behind", 2);
    produce("behind", 0, 6);
    produce("behind", 1, 4);
    commitOffset("behind-group", new TopicPartition("behind", 0), 4);

    // Partition 0: offsets 4 and 5; partition 1 has no offset, so all 4 records count.
    assertThat(unconsumed("behind-group", "behind")).isEqualTo(6);
  }

  @Test
  void shouldCountFromTheLogStartWhenTheGroupsOffsetWasPurged() throws Exception {
    create("purged", 1);
    TopicPartition tp = new TopicPartition("purged", 0);
    produce("purged", 0, 8);
    commitOffset("purged-group", tp, 1);
    KAFKA.admin().deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(3))).all().get();

    assertThat(unconsumed("purged-group", "purged")).isEqualTo(5);
  }

  @Test
  void shouldNotCountAbortedTransactionsNorTheirMarkers() throws Exception {
    create("txn", 1);
    int committed = 5;
    int aborted = 4;
    try (KafkaProducer<String, byte[]> producer =
        KafkaTestClients.producer(
            KAFKA.bootstrapServers(),
            Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                "direct-input-checks-txn",
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                10_000))) {
      producer.initTransactions();
      producer.beginTransaction();
      send(producer, "txn", 0, committed);
      producer.commitTransaction();
      producer.beginTransaction();
      send(producer, "txn", 0, aborted);
      producer.flush();
      producer.abortTransaction();
    }
    commitOffset("txn-group", new TopicPartition("txn", 0), 2);

    assertThat(unconsumed("txn-fresh-group", "txn")).isEqualTo(committed);
    assertThat(unconsumed("txn-group", "txn")).isEqualTo(committed - 2);
  }

  private static long unconsumed(String group, String topic) {
    return DirectInputChecks.unconsumed(
        KAFKA.admin(),
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
        group,
        topic,
        WAIT);
  }

  private static void create(String topic, int partitions) throws Exception {
    new TopicProvisioner(KAFKA.admin(), WAIT)
        .provision(List.of(new TopicSpec(topic, partitions, Map.of())));
  }

  private static void produce(String topic, int partition, int count) throws Exception {
    try (KafkaProducer<String, byte[]> producer =
        KafkaTestClients.producer(KAFKA.bootstrapServers(), Map.of())) {
      send(producer, topic, partition, count);
      producer.flush();
    }
  }

  private static void send(
      KafkaProducer<String, byte[]> producer, String topic, int partition, int count) {
    for (int i = 0; i < count; i++) {
      producer.send(
          new ProducerRecord<>(topic, partition, "m" + i, ("event " + i).getBytes(UTF_8)));
    }
  }

  /** The group has no members, so the broker accepts offsets set by the admin client. */
  private static void commitOffset(String group, TopicPartition tp, long offset) throws Exception {
    KAFKA
        .admin()
        .alterConsumerGroupOffsets(group, Map.of(tp, new OffsetAndMetadata(offset)))
        .all()
        .get();
  }
}
