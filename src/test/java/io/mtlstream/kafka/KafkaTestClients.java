package io.mtlstream.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Client factories and deadline-bounded polling for tests against a real broker. */
final class KafkaTestClients {

  /** Large enough for the 5 MiB records of the tests; the client defaults stop at 1 MiB. */
  static final int LARGE = 8 * 1024 * 1024;

  private KafkaTestClients() {}

  static Admin admin(String bootstrap) {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000));
  }

  static KafkaProducer<String, byte[]> producer(String bootstrap, Map<String, Object> extra) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, LARGE);
    c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    c.putAll(extra);
    return new KafkaProducer<>(c, new StringSerializer(), new ByteArraySerializer());
  }

  static KafkaConsumer<String, byte[]> consumer(String bootstrap, Map<String, Object> extra) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, LARGE);
    c.putAll(extra);
    return new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** Polls {@code topic} from the start until {@code count} records arrived or the deadline. */
  static List<ConsumerRecord<String, byte[]>> readAtLeast(
      String bootstrap, String topic, int count, Map<String, Object> extra, Duration timeout) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrap, extra)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (out.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}
