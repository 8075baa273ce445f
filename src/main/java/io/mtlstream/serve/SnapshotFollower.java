package io.mtlstream.serve;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscriber's consumer loop: assigns every partition of the topic once it exists (re-checking
 * for added partitions every 30 s), reads each new partition from the beginning, and hands every
 * non-empty poll to the sink. Errors are logged and retried after a short backoff, so a broker
 * outage only delays new snapshots. Owns the consumer and the thread; {@link #close()} wakes the
 * thread, waits for it and closes the consumer.
 */
final class SnapshotFollower {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotFollower.class);
  private static final Duration METADATA_REFRESH = Duration.ofSeconds(30);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);
  private static final long BACKOFF_MS = 1_000;
  private static final int LARGE_FETCH_BYTES = 256 * 1024 * 1024;

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final Duration pollTimeout;
  private final java.util.function.Consumer<ConsumerRecords<byte[], byte[]>> sink;
  private final CountDownLatch closing = new CountDownLatch(1);
  private Thread thread;
  private boolean closed;
  // Used by the loop thread only.
  private Set<TopicPartition> assigned = Set.of();
  private long nextRefresh;
  private boolean warnedMissing;

  SnapshotFollower(
      Consumer<byte[], byte[]> consumer,
      String topic,
      Duration pollTimeout,
      java.util.function.Consumer<ConsumerRecords<byte[], byte[]>> sink) {
    this.consumer = consumer;
    this.topic = topic;
    this.pollTimeout = pollTimeout;
    this.sink = sink;
  }

  /**
   * Consumer settings: byte arrays, read_committed, no group, no auto-commit, large fetches; the
   * given properties (security, client id, …) override the defaults but not the deserializers.
   */
  static Map<String, Object> consumerConfig(
      String bootstrapServers, Map<String, Object> overrides) {
    var config = new HashMap<String, Object>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "mtl-snapshot-subscriber");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, LARGE_FETCH_BYTES);
    config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, LARGE_FETCH_BYTES);
    config.putAll(overrides);
    // Never see snapshots of aborted or still-open learner transactions.
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return config;
  }

  synchronized void start(String threadName) {
    if (closed || thread != null) {
      throw new IllegalStateException(closed ? "subscriber is closed" : "subscriber has started");
    }
    thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (closing.getCount() > 0) {
        try {
          refreshAssignment();
          if (assigned.isEmpty()) {
            backoff();
            continue;
          }
          ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout);
          if (!records.isEmpty()) {
            sink.accept(records);
          }
        } catch (WakeupException e) {
          // close() woke us; the loop condition ends the loop.
        } catch (RuntimeException e) {
          LOG.warn("snapshot topic '{}': {}; retrying in {} ms", topic, e, BACKOFF_MS, e);
          backoff();
        }
      }
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  private void refreshAssignment() {
    if (!assigned.isEmpty() && System.nanoTime() - nextRefresh < 0) {
      return;
    }
    nextRefresh = System.nanoTime() + METADATA_REFRESH.toNanos();
    List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
    if (infos == null || infos.isEmpty()) {
      if (!warnedMissing) {
        LOG.warn("snapshot topic '{}' does not exist yet; waiting for it", topic);
        warnedMissing = true;
      }
      return;
    }
    Set<TopicPartition> partitions =
        infos.stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .collect(Collectors.toSet());
    if (partitions.equals(assigned)) {
      return;
    }
    Set<TopicPartition> added = new HashSet<>(partitions);
    added.removeAll(assigned);
    consumer.assign(partitions);
    consumer.seekToBeginning(added);
    LOG.info(
        "following snapshot topic '{}': {} partition(s), {} new read from the beginning",
        topic,
        partitions.size(),
        added.size());
    assigned = Set.copyOf(partitions);
  }

  private void backoff() {
    try {
      closing.await(BACKOFF_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closing.countDown();
    }
  }

  void close() {
    Thread t;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      t = thread;
    }
    closing.countDown();
    if (t == null) {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      return;
    }
    consumer.wakeup();
    if (t == Thread.currentThread()) {
      return; // closed from a listener: the loop ends after this poll and closes the consumer
    }
    try {
      t.join(Duration.ofSeconds(30).toMillis());
      if (t.isAlive()) {
        LOG.warn("snapshot subscriber thread did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
