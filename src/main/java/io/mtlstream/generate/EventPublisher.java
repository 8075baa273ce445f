package io.mtlstream.generate;

import io.mtlstream.event.EventEncoding;
import io.mtlstream.event.LabeledEvent;
import io.mtlstream.event.TopicTasks;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends events from a source to their task topics ({@code <prefix><task>}) in JSON (the default) or
 * the binary encoding, keyed by model id (the learner re-keys anyway; the key keeps one model's
 * events together), with the event time as record timestamp ({@link EventRecords}), optionally
 * paced to a rate.
 *
 * <p>Ownership: owns the producer and closes it in {@link #close()}; uses but never closes the
 * source. Threading: {@link #run} and {@link #flush} on one thread; {@link #stop()} and {@link
 * #sent()} from any thread (e.g. a signal handler or a progress reporter).
 */
public final class EventPublisher implements AutoCloseable {

  /** A count for {@link #run}: send until {@link #stop()}. */
  public static final long UNLIMITED = Long.MAX_VALUE;

  private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);
  private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(10);
  // Waits for the rate are cut into slices so that stop() is seen promptly at low rates.
  private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final Producer<byte[], byte[]> producer;
  private final Iterator<LabeledEvent> source;
  private final double rate;
  private final EventRecords records;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private volatile boolean stopped;

  private EventPublisher(Builder b) {
    this.producer = b.producer;
    this.source = b.source;
    this.rate = b.rate;
    this.records = new EventRecords(b.topicPrefix, b.encoding);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The producer settings for event publishing: small linger and large lz4 batches for throughput,
   * {@code acks=all} with idempotence so retries neither lose nor duplicate events.
   */
  public static Map<String, Object> producerConfig(String bootstrapServers) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    c.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return c;
  }

  /** A producer with {@link #producerConfig}, then {@code overrides} (passed through unchanged). */
  public static Producer<byte[], byte[]> newProducer(
      String bootstrapServers, Map<String, Object> overrides) {
    Map<String, Object> c = producerConfig(bootstrapServers);
    c.putAll(overrides);
    return new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * Sends up to {@code count} events, paced to the rate, then flushes. Returns early, after
   * flushing, when {@link #stop()} is called, the thread is interrupted, the source ends or a send
   * fails.
   *
   * @param count events to send, ≥ 0, or {@link #UNLIMITED}
   * @return the events sent by this call, all acknowledged by the broker
   * @throws KafkaException if the broker did not take every event
   */
  public long run(long count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, was " + count);
    }
    TokenBucket bucket = rate > 0 ? new TokenBucket(rate, System::nanoTime) : null;
    long start = System.nanoTime();
    long nextLog = start + PROGRESS_NANOS;
    long done = 0;
    while (done < count && !stopped && failure.get() == null) {
      if (Thread.currentThread().isInterrupted()) {
        LOG.info("Interrupted; stopping after {} events", done);
        break;
      }
      long wait = bucket == null ? 0 : bucket.tryTake();
      if (wait > 0) {
        LockSupport.parkNanos(Math.min(wait, MAX_PARK_NANOS));
        continue;
      }
      if (!source.hasNext()) {
        break;
      }
      send(source.next());
      done++;
      sent.incrementAndGet();
      if (System.nanoTime() >= nextLog) {
        nextLog += PROGRESS_NANOS;
        LOG.info("Sent {} events ({} events/s)", done, perSecond(done, start));
      }
    }
    flush();
    LOG.info("Sent {} events ({} events/s)", done, perSecond(done, start));
    return done;
  }

  private void send(LabeledEvent e) {
    ProducerRecord<byte[], byte[]> record = records.of(e);
    producer.send(
        record,
        (metadata, error) -> {
          if (error != null && failure.compareAndSet(null, error)) {
            LOG.error("Sending to {} failed; stopping", record.topic(), error);
          }
        });
  }

  /**
   * Waits until every event sent so far is acknowledged.
   *
   * @throws KafkaException with the first send error as cause if any event was not taken
   */
  public void flush() {
    producer.flush();
    Exception error = failure.get();
    if (error != null) {
      throw new KafkaException("Publishing events failed: " + error.getMessage(), error);
    }
  }

  /** Makes a running {@link #run} return after flushing; later runs return at once. */
  public void stop() {
    stopped = true;
  }

  /** Events handed to the producer so far, over all runs. */
  public long sent() {
    return sent.get();
  }

  /** Closes the producer, which first sends what is buffered. */
  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }

  private static long perSecond(long events, long startNanos) {
    double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
    return Math.round(events / seconds);
  }

  /** Builds an {@link EventPublisher}; not thread-safe. */
  public static final class Builder {
    private Producer<byte[], byte[]> producer;
    private Iterator<LabeledEvent> source;
    private String topicPrefix = TopicTasks.DEFAULT_PREFIX;
    private double rate;
    private EventEncoding encoding = EventEncoding.JSON;

    private Builder() {}

    /** The producer, e.g. {@link #newProducer}; the publisher takes ownership. Required. */
    public Builder setProducer(Producer<byte[], byte[]> value) {
      producer = Objects.requireNonNull(value, "producer");
      return this;
    }

    /** The events to send, e.g. a {@link ToyEventSource}; the caller keeps ownership. Required. */
    public Builder setSource(Iterator<LabeledEvent> value) {
      source = Objects.requireNonNull(value, "source");
      return this;
    }

    /** Events of task t go to {@code <prefix>t}; default {@code mtl.events.}. */
    public Builder optTopicPrefix(String value) {
      topicPrefix = Objects.requireNonNull(value, "topic prefix");
      return this;
    }

    /** Events per second; 0 (default) sends as fast as the producer takes them. */
    public Builder optRate(double eventsPerSecond) {
      rate = eventsPerSecond;
      return this;
    }

    /** JSON (default) or binary; the learner's topics must be configured to match. */
    public Builder optEncoding(EventEncoding value) {
      encoding = Objects.requireNonNull(value, "encoding");
      return this;
    }

    public EventPublisher build() {
      if (producer == null || source == null) {
        throw new IllegalStateException(
            "setProducer(...) and setSource(...) are required: where to send and what");
      }
      if (!(rate >= 0) || Double.isInfinite(rate)) {
        throw new IllegalArgumentException(
            "rate must be finite and >= 0 events/s (0 = unlimited), was " + rate);
      }
      // EventRecords rejects the auto encoding (reading only) with the same kind of error.
      return new EventPublisher(this);
    }
  }
}
