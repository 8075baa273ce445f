package io.mtlstream.bench.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * A closed-loop event feed for {@code bench pipeline}: replays a pool of pre-encoded events to the
 * task topics as fast as the producer takes them, but never more than {@code maxAhead} events ahead
 * of what the learner has trained. So the broker's ingest, the decode stage and training all run
 * inside the measured window, at the learner's pace — a pre-loaded backlog would let a second
 * stream thread decode it all before the window opens. Generating and encoding the events is not
 * part of the pipeline and happens before the feed starts; each record is re-stamped with its send
 * time.
 *
 * <p>Owns the producer and its sending thread; {@link #close()} stops both. {@link #sent()} is safe
 * from any thread.
 */
public final class LiveFeed implements AutoCloseable {

  // Reading the learner's meter searches its registry (thousands of client meters): read it only
  // when the feed is blocked, and then every few milliseconds — a 1 ms poll cost a third of a core.
  private static final long PARK_NANOS = Duration.ofMillis(5).toNanos();

  private final Producer<byte[], byte[]> producer;
  private final List<ProducerRecord<byte[], byte[]>> pool;
  private final long count;
  private final long maxAhead;
  private final LongSupplier trained;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final Thread thread;
  private volatile boolean stopped;
  private boolean closed;

  /**
   * Starts sending at once.
   *
   * @param pool records to replay in turn (not empty)
   * @param count events to send in all
   * @param maxAhead most events sent but not yet trained
   * @param trained events trained so far (the learner's meter)
   */
  LiveFeed(
      Producer<byte[], byte[]> producer,
      List<ProducerRecord<byte[], byte[]>> pool,
      long count,
      long maxAhead,
      LongSupplier trained) {
    if (pool.isEmpty() || count < 0 || maxAhead < 1) {
      throw new IllegalArgumentException(
          "a live feed needs events to replay, a count >= 0 and maxAhead >= 1");
    }
    this.producer = producer;
    this.pool = List.copyOf(pool);
    this.count = count;
    this.maxAhead = maxAhead;
    this.trained = trained;
    this.thread = new Thread(this::run, CpuBudget.FEED_PREFIX + "-live");
    thread.setDaemon(true);
    thread.start();
  }

  /** Events handed to the producer so far. */
  public long sent() {
    return sent.get();
  }

  private void run() {
    int next = 0;
    long known = trained.getAsLong();
    while (!stopped && sent.get() < count && failure.get() == null) {
      if (sent.get() - known >= maxAhead) {
        LockSupport.parkNanos(PARK_NANOS);
        known = trained.getAsLong();
        continue;
      }
      ProducerRecord<byte[], byte[]> r = pool.get(next);
      next = next + 1 == pool.size() ? 0 : next + 1;
      producer.send(
          new ProducerRecord<>(r.topic(), null, System.currentTimeMillis(), r.key(), r.value()),
          (metadata, error) -> {
            if (error != null) {
              failure.compareAndSet(null, error);
            }
          });
      sent.incrementAndGet();
    }
    producer.flush();
  }

  /** Stops sending, waits for what was sent to be acknowledged, rethrows a send failure. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopped = true;
    try {
      thread.join(Duration.ofSeconds(60).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      producer.close(Duration.ofSeconds(30));
    }
    if (failure.get() != null) {
      throw new KafkaException("live feed: a send failed", failure.get());
    }
  }
}
