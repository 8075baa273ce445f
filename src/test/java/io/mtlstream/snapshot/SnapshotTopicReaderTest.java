package io.mtlstream.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** The read loop against {@link MockConsumer}; the broker end to end is covered elsewhere. */
class SnapshotTopicReaderTest {

  private static final String TOPIC = "mtl.snapshots";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");

  @Test
  void shouldReturnTheLastRecordOfTheModelUpToTheEndOffsetsCapturedAtStart() {
    topic(Map.of(P0, 4L, P1, 1L));
    onFirstPoll(
        record(P0, 0, "default", "v1"),
        record(P0, 1, "other", "x"),
        record(P0, 2, "default", "v2"),
        record(P1, 0, "other", "y"),
        record(P0, 3, "other", "z"),
        record(P0, 4, "default", "after-start"));

    try (var reader = new SnapshotTopicReader(consumer, TOPIC)) {
      assertThat(reader.readLatestBytes("default", Duration.ofSeconds(5)))
          .hasValueSatisfying(
              v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("v2"));
    }
  }

  @Test
  void shouldTreatATombstoneAsNoSnapshot() {
    topic(Map.of(P0, 2L, P1, 0L));
    onFirstPoll(record(P0, 0, "default", "v1"), record(P0, 1, "default", null));

    try (var reader = new SnapshotTopicReader(consumer, TOPIC)) {
      assertThat(reader.readLatestBytes("default", Duration.ofSeconds(5))).isEmpty();
    }
  }

  @Test
  void shouldFindNothingOnAMissingTopic() {
    try (var reader = new SnapshotTopicReader(consumer, TOPIC)) {
      assertThat(reader.readLatest("default", Duration.ofSeconds(1))).isEmpty();
    }
  }

  @Test
  void shouldTimeOutWhenTheEndOffsetsAreNotReached() {
    topic(Map.of(P0, 5L, P1, 0L));
    onFirstPoll(record(P0, 0, "default", "v1"));

    try (var reader = new SnapshotTopicReader(consumer, TOPIC)) {
      assertThatThrownBy(() -> reader.readLatestBytes("default", Duration.ofMillis(300)))
          .isInstanceOf(TimeoutException.class)
          .hasMessageContaining("could not read snapshot topic 'mtl.snapshots'");
    }
  }

  @Test
  void shouldConfigureAReadCommittedConsumerForLargeRecords() {
    Map<String, Object> config =
        SnapshotTopicReader.config("b:9092", Map.of(ConsumerConfig.CLIENT_ID_CONFIG, "serve-1"));

    assertThat(config)
        .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
        .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
        .containsEntry(ConsumerConfig.CLIENT_ID_CONFIG, "serve-1")
        .containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50)
        .doesNotContainKey(ConsumerConfig.GROUP_ID_CONFIG);
    assertThat(
            SnapshotTopicReader.config(
                "b:9092", Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 300)))
        .containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 300);
    assertThat((int) config.get(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG))
        .isGreaterThan(100 * 1024 * 1024);
  }

  private void topic(Map<TopicPartition, Long> endOffsets) {
    Node node = new Node(0, "localhost", 9092);
    consumer.updatePartitions(
        TOPIC,
        List.of(
            new PartitionInfo(TOPIC, 0, node, new Node[0], new Node[0]),
            new PartitionInfo(TOPIC, 1, node, new Node[0], new Node[0])));
    consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    consumer.updateEndOffsets(endOffsets);
  }

  @SafeVarargs
  private void onFirstPoll(ConsumerRecord<byte[], byte[]>... records) {
    consumer.schedulePollTask(() -> List.of(records).forEach(consumer::addRecord));
  }

  private static ConsumerRecord<byte[], byte[]> record(
      TopicPartition tp, long offset, String key, String value) {
    return new ConsumerRecord<>(
        tp.topic(),
        tp.partition(),
        offset,
        key.getBytes(StandardCharsets.UTF_8),
        value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }
}
