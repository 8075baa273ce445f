package io.mtlstream.bench.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads back the record timestamps the broker stored for single-partition topics, in offset order:
 * what was appended, and when. Stateless.
 */
public final class TopicTimestamps {

  private TopicTimestamps() {}

  /**
   * Topic → timestamps of every record of its partition 0 in offset order, up to the end offset
   * seen at the start of the read.
   *
   * @throws IllegalStateException if a topic has more than one partition or cannot be read in time
   */
  public static Map<String, long[]> read(
      String bootstrapServers, List<String> topics, Duration timeout) {
    Map<String, long[]> out = new LinkedHashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                5000,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "mtl-bench-timestamps"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      long deadline = System.nanoTime() + timeout.toNanos();
      for (String topic : topics) {
        if (consumer.partitionsFor(topic).size() != 1) {
          throw new IllegalStateException(
              topic + " has more than one partition; offsets then do not order its events");
        }
        TopicPartition tp = new TopicPartition(topic, 0);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        long end = consumer.endOffsets(List.of(tp)).get(tp);
        List<Long> stamps = new ArrayList<>();
        while (consumer.position(tp) < end) {
          if (System.nanoTime() - deadline > 0) {
            throw new IllegalStateException("could not read " + topic + " to offset " + end);
          }
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            if (r.offset() < end) {
              stamps.add(r.timestamp());
            }
          }
        }
        out.put(topic, stamps.stream().mapToLong(Long::longValue).toArray());
      }
    }
    return out;
  }
}
