package io.mtlstream.bench.pipeline;

import io.mtlstream.snapshot.SnapshotCodec;
import io.mtlstream.snapshot.SnapshotManifest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows the snapshot topic from its beginning with a {@code read_committed} consumer — what a
 * serving process sees — and records when each snapshot became visible (wall clock right after the
 * poll that returned it) together with its verified manifest. Fetches wait at most 20 ms on the
 * broker, so the visible time is late by at most that plus one poll.
 *
 * <p>Owns its consumer and a daemon thread; {@link #close()} stops both. {@link #seen()} may be
 * called from any thread.
 */
public final class SnapshotWatcher implements AutoCloseable {

  /** A snapshot and the wall-clock time it became visible to a read_committed consumer. */
  public record Seen(long visibleMillis, SnapshotManifest manifest) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<Seen> seen = new ArrayList<>();
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private final Thread thread;

  public SnapshotWatcher(String bootstrapServers, String topic) {
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                20,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                64 << 20,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
                64 << 20,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "mtl-bench-snapshot-watcher"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> parts =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
    this.thread = new Thread(this::follow, "mtl-bench-snapshot-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  private void follow() {
    try {
      while (true) {
        var records = consumer.poll(Duration.ofMillis(200));
        long visible = System.currentTimeMillis();
        for (ConsumerRecord<byte[], byte[]> r : records) {
          if (r.value() != null) {
            SnapshotManifest m = SnapshotCodec.readManifest(r.value());
            synchronized (seen) {
              seen.add(new Seen(visible, m));
            }
          }
        }
      }
    } catch (WakeupException stop) {
      // close() asked us to stop
    } catch (RuntimeException e) {
      failure.set(e);
    } finally {
      consumer.close();
    }
  }

  /** Snapshots seen so far, in the order they became visible; rethrows a reader failure. */
  public List<Seen> seen() {
    if (failure.get() != null) {
      throw failure.get();
    }
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  @Override
  public void close() {
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
