package io.mtlstream.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What must hold before a learner reads its input topics directly, without repartitioning by model
 * id: every input topic has the same partition count (so partition p of each topic lands in the
 * same stream task), the learners' state was written under that count (else models would move away
 * from their state), and no event waits untrained on the by-model repartition topic of an earlier
 * run that did repartition (the direct topology no longer reads it, so those events would be lost).
 * Stateless; each call opens and closes its own clients.
 */
public final class DirectInputChecks {

  private DirectInputChecks() {}

  /**
   * The partition count all {@code topics} share.
   *
   * @throws IllegalArgumentException naming each topic's count if they differ
   */
  public static int sharedPartitionCount(Admin admin, Collection<String> topics, Duration timeout) {
    Map<String, TopicDescription> described =
        await(admin.describeTopics(topics).allTopicNames(), timeout, "describe " + topics);
    Map<String, Integer> counts = new TreeMap<>();
    described.forEach((name, d) -> counts.put(name, d.partitions().size()));
    if (counts.values().stream().distinct().count() != 1) {
      throw new IllegalArgumentException(
          "mtl.input.partitioned.by.model=true needs the same partition count on every input"
              + " topic, found "
              + counts
              + ". Fix: add partitions to match (kafka-topics.sh --alter --partitions N) and"
              + " keep producers keying by model id, or set mtl.input.partitioned.by.model=false");
    }
    return counts.values().iterator().next();
  }

  /** The partition count of {@code topic}, empty if it does not exist. */
  public static OptionalInt partitionCount(Admin admin, String topic, Duration timeout) {
    if (!await(admin.listTopics().names(), timeout, "list topics").contains(topic)) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(
        await(admin.describeTopics(List.of(topic)).allTopicNames(), timeout, "describe " + topic)
            .get(topic)
            .partitions()
            .size());
  }

  /**
   * Committed events on {@code topic} that consumer group {@code group} has not consumed yet (0 if
   * the topic does not exist). Reads read-committed from the group's offsets to the end, so
   * transaction markers and aborted records are not counted.
   */
  public static long unconsumed(
      Admin admin,
      Map<String, Object> consumerConfig,
      String group,
      String topic,
      Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    var listed = await(admin.listTopics().names(), timeout, "list topics");
    if (!listed.contains(topic)) {
      return 0;
    }
    TopicDescription description =
        await(admin.describeTopics(List.of(topic)).allTopicNames(), timeout, "describe " + topic)
            .get(topic);
    List<TopicPartition> partitions = new ArrayList<>();
    description.partitions().forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    Map<TopicPartition, OffsetAndMetadata> committed =
        await(
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(),
            timeout,
            "offsets of group " + group);
    Map<String, Object> config = new HashMap<>(consumerConfig);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(partitions);
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      for (TopicPartition tp : partitions) {
        OffsetAndMetadata c = committed.get(tp);
        // Streams purges consumed repartition records, so a committed offset can precede the log
        // start; the records before it were consumed either way.
        consumer.seek(tp, Math.max(begin.get(tp), c == null ? 0 : c.offset()));
      }
      long count = 0;
      while (!caughtUp(consumer, partitions, end)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "could not read " + topic + " to its end within " + timeout);
        }
        count += consumer.poll(Duration.ofMillis(200)).count();
      }
      return count;
    }
  }

  private static boolean caughtUp(
      KafkaConsumer<?, ?> consumer,
      List<TopicPartition> partitions,
      Map<TopicPartition, Long> end) {
    for (TopicPartition tp : partitions) {
      if (consumer.position(tp) < end.get(tp)) {
        return false;
      }
    }
    return true;
  }

  private static <T> T await(KafkaFuture<T> future, Duration timeout, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + what, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not " + what + ": " + e.getMessage(), e);
    }
  }
}
