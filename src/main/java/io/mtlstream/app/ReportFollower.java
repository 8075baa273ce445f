package io.mtlstream.app;

import io.mtlstream.metrics.TrainingReport;
import io.mtlstream.metrics.TrainingReportCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows the training-report topic with a {@code read_committed} consumer (so it never shows a
 * report of a state that was rolled back) and hands each report to a callback. Owns its consumer;
 * use from one thread.
 */
final class ReportFollower implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> consumer;

  ReportFollower(String bootstrap, String topic) {
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> parts =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
  }

  /** Polls once (up to {@code wait}) and passes every new report to {@code sink}. */
  void poll(Duration wait, Consumer<TrainingReport> sink) {
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(wait)) {
      sink.accept(TrainingReportCodec.decode(r.value()));
    }
  }

  @Override
  public void close() {
    consumer.close();
  }
}
