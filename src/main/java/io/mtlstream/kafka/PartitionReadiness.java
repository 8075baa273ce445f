package io.mtlstream.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Waits until partitions can really be written. A new topic's leader appears in metadata before the
 * broker has opened the partition; an idempotent producer with several requests in flight that
 * writes in that window has its first request refused and a later one accepted, and the first then
 * fails with OUT_OF_ORDER_SEQUENCE_NUMBER until {@code delivery.timeout.ms} drops it (KAFKA-15591).
 * ListOffsets is answered from the same replica state as Produce, so once it succeeds for every
 * partition, writing is safe. Stateless; uses but never closes the given {@link Admin}.
 */
public final class PartitionReadiness {

  private static final long BACKOFF_MS = 50;

  private PartitionReadiness() {}

  /**
   * Waits until the leader of every partition of {@code topics} answers ListOffsets.
   *
   * @throws IllegalStateException if that does not happen within {@code timeout} (e.g. a topic is
   *     missing), or on a non-retriable error
   */
  public static void awaitServed(Admin admin, Collection<String> topics, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    try {
      while (true) {
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remainingMs <= 0) {
          throw new IllegalStateException(
              "Partitions of " + topics + " not served within " + timeout + "; do they exist?",
              last);
        }
        try {
          Map<String, TopicDescription> described =
              admin.describeTopics(topics).allTopicNames().get(remainingMs, MILLIS);
          Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
          described.forEach(
              (name, d) ->
                  d.partitions()
                      .forEach(p -> latest.put(new TopicPartition(name, p.partition()), LATEST)));
          admin.listOffsets(latest).all().get(remainingMs, MILLIS);
          return;
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof RetriableException)) {
            throw new IllegalStateException("Checking partitions of " + topics + " failed", e);
          }
          last = e;
        } catch (TimeoutException e) {
          last = e;
        }
        Thread.sleep(BACKOFF_MS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for partitions of " + topics, e);
    }
  }

  private static final OffsetSpec LATEST = OffsetSpec.latest();
  private static final TimeUnit MILLIS = TimeUnit.MILLISECONDS;
}
