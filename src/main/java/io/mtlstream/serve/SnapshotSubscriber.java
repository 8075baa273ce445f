package io.mtlstream.serve;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mtlstream.snapshot.Snapshot;
import io.mtlstream.snapshot.SnapshotCodec;
import io.mtlstream.snapshot.SnapshotFormatException;
import io.mtlstream.snapshot.SnapshotTopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted snapshot topic and keeps the newest valid snapshot of one model (or of
 * every model) loaded for serving — the Java API for serving processes (DESIGN.md decision 7).
 *
 * <p>On {@link #start()} a thread of its own assigns every partition of the topic (no consumer
 * group, nothing committed), reads from the beginning with a {@code read_committed} consumer (so
 * snapshots of aborted learner transactions never appear) and then keeps polling. Each new record
 * of a followed model is verified with {@link SnapshotCodec} (magic, format version, SHA-256,
 * structure), its network is built, and the {@link ServedModel} is swapped in atomically. Of the
 * records of one model in one poll only the newest valid one is loaded; older ones are superseded.
 * A rejected snapshot is logged and counted by reason (a {@link SnapshotFormatException.Reason}
 * tag, {@code model_id_mismatch} or {@code load_failed}), and the previous model stays served. A
 * tombstone removes the model. Record order is the topic's order: steps are not compared, since a
 * reset learner restarts them.
 *
 * <p>Ownership: owns its consumer, its thread and every loaded model. A replaced model is retired
 * and closed once the predictions that leased it finish (see {@link ServedModel}); {@link #close()}
 * stops the thread and retires everything.
 *
 * <p>Threading: {@link #current}, {@link #acquire}, {@link #awaitModel} and the counters are safe
 * from any thread. Listeners run on the subscriber's thread. {@link #start()} and {@link #close()}
 * may be called from any thread, once each.
 */
public final class SnapshotSubscriber implements ModelSource, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotSubscriber.class);

  private final SnapshotFollower follower;
  private final String topic;
  private final String modelId;
  private final boolean allModels;
  private final String device;
  private final Clock clock;
  private final SubscriberMetrics metrics;
  private final Map<String, ServedModel> models = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> rejections = new ConcurrentHashMap<>();
  private final AtomicLong loaded = new AtomicLong();
  private final List<SnapshotListener> listeners = new CopyOnWriteArrayList<>();
  private final Object changed = new Object();

  private SnapshotSubscriber(Builder b) {
    this.topic = b.topic;
    this.modelId = b.modelId;
    this.allModels = b.allModels;
    this.device = b.device;
    this.clock = b.clock;
    this.listeners.addAll(b.listeners);
    this.metrics = new SubscriberMetrics(b.registry, clock, this::current);
    if (!allModels) {
      metrics.expect(modelId);
    }
    Consumer<byte[], byte[]> consumer =
        b.consumer != null
            ? b.consumer
            : new KafkaConsumer<>(
                SnapshotFollower.consumerConfig(b.bootstrapServers, b.consumerProperties));
    this.follower = new SnapshotFollower(consumer, topic, b.pollTimeout, this::apply);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts following the topic on the subscriber's thread; returns this. */
  public SnapshotSubscriber start() {
    follower.start("mtl-snapshot-subscriber");
    return this;
  }

  @Override
  public String defaultModelId() {
    return modelId;
  }

  @Override
  public boolean serves(String id) {
    return allModels ? models.containsKey(id) || id.equals(modelId) : id.equals(modelId);
  }

  /** The served model of the configured model id. */
  public Optional<ServedModel> current() {
    return current(modelId);
  }

  @Override
  public Optional<ServedModel> current(String id) {
    return Optional.ofNullable(models.get(id));
  }

  /** Every model served now, by id. */
  public Map<String, ServedModel> models() {
    return Map.copyOf(models);
  }

  /**
   * Waits until the model of {@code id} satisfies {@code condition}, e.g. {@code m -> m.step() >=
   * 500}.
   *
   * @return the model, or empty when the timeout passed first
   */
  public Optional<ServedModel> awaitModel(
      String id, Predicate<ServedModel> condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (changed) {
      for (; ; ) {
        ServedModel m = models.get(id);
        if (m != null && condition.test(m)) {
          return Optional.of(m);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return Optional.empty();
        }
        changed.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /** Rejected snapshots by reason tag since start, all models together. */
  public Map<String, Long> rejections() {
    Map<String, Long> out = new LinkedHashMap<>();
    rejections.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** Snapshots swapped in since start. */
  public long loadedCount() {
    return loaded.get();
  }

  /** Adds a listener for later events (those before are not replayed). */
  public void addListener(SnapshotListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Stops the thread, closes the consumer and retires every model. Idempotent. */
  @Override
  public void close() {
    follower.close();
    for (String id : List.copyOf(models.keySet())) {
      ServedModel m = models.remove(id);
      if (m != null) {
        m.retire();
      }
    }
    signal();
  }

  /** Applies one poll's records: per model, the newest valid snapshot or a tombstone. */
  void apply(ConsumerRecords<byte[], byte[]> records) {
    Map<String, List<ConsumerRecord<byte[], byte[]>>> byModel = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      if (r.key() == null) {
        LOG.debug(
            "ignoring a snapshot record without key at {}-{}@{}", topic, r.partition(), r.offset());
        continue;
      }
      String id = new String(r.key(), StandardCharsets.UTF_8);
      if (allModels || id.equals(modelId)) {
        byModel.computeIfAbsent(id, k -> new ArrayList<>()).add(r);
      }
    }
    byModel.forEach(
        (id, list) -> {
          for (int i = list.size() - 1; i >= 0; i--) {
            ConsumerRecord<byte[], byte[]> r = list.get(i);
            if (r.value() == null ? remove(id) : load(id, r)) {
              return;
            }
          }
        });
  }

  /** Verifies and swaps in one record; false if it was rejected. */
  private boolean load(String id, ConsumerRecord<byte[], byte[]> r) {
    long t0 = System.nanoTime();
    String where = r.topic() + "-" + r.partition() + "@" + r.offset();
    Snapshot snapshot;
    try {
      snapshot = SnapshotCodec.decode(r.value());
    } catch (SnapshotFormatException e) {
      return reject(id, e.reason().tag(), e.getMessage(), where);
    }
    if (!snapshot.manifest().modelId().equals(id)) {
      return reject(
          id,
          "model_id_mismatch",
          "record key '" + id + "' but manifest model id '" + snapshot.manifest().modelId() + "'",
          where);
    }
    ServedModel previous = models.get(id);
    if (previous != null && previous.sha256().equals(snapshot.sha256Hex())) {
      LOG.debug("model '{}': snapshot at {} is the one served already", id, where);
      return true;
    }
    ServedModel next;
    try {
      next = ServedModel.load(snapshot, device, clock.millis());
    } catch (RuntimeException e) {
      return reject(id, "load_failed", e.toString(), where);
    }
    ServedModel replaced = models.put(id, next);
    if (replaced != null) {
      replaced.retire();
    }
    loaded.incrementAndGet();
    metrics.loaded(id, System.nanoTime() - t0);
    LOG.info(
        "model '{}': serving step {} (sha256 {}) from {}{}",
        id,
        next.step(),
        next.sha256(),
        where,
        replaced == null ? "" : ", replacing step " + replaced.step());
    for (SnapshotListener l : listeners) {
      notify(() -> l.onLoaded(next, replaced));
    }
    signal();
    return true;
  }

  private boolean reject(String id, String reason, String message, String where) {
    rejections.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
    metrics.rejected(id, reason);
    ServedModel kept = models.get(id);
    LOG.warn(
        "model '{}': rejected snapshot at {} ({}): {}; {}",
        id,
        where,
        reason,
        message,
        kept == null ? "no model served yet" : "still serving step " + kept.step());
    for (SnapshotListener l : listeners) {
      notify(() -> l.onRejected(id, reason, message));
    }
    return false;
  }

  private boolean remove(String id) {
    ServedModel previous = models.remove(id);
    if (previous != null) {
      previous.retire();
      LOG.warn("model '{}': deleted by a tombstone; no longer served", id);
      for (SnapshotListener l : listeners) {
        notify(() -> l.onRemoved(id));
      }
      signal();
    }
    return true;
  }

  private static void notify(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("snapshot listener failed", e);
    }
  }

  private void signal() {
    synchronized (changed) {
      changed.notifyAll();
    }
  }

  /** Builds a {@link SnapshotSubscriber}; not thread-safe. */
  public static final class Builder {
    private String bootstrapServers;
    private Consumer<byte[], byte[]> consumer;
    private String topic = SnapshotTopicReader.DEFAULT_TOPIC;
    private String modelId = "default";
    private boolean allModels;
    private Map<String, Object> consumerProperties = Map.of();
    private String device = "cpu";
    private Clock clock = Clock.systemUTC();
    private MeterRegistry registry;
    private final List<SnapshotListener> listeners = new ArrayList<>();
    private Duration pollTimeout = Duration.ofMillis(500);

    private Builder() {}

    /** Kafka bootstrap servers; required. */
    public Builder setBootstrapServers(String value) {
      bootstrapServers = value;
      return this;
    }

    /** For tests: takes ownership of this consumer instead of creating one. */
    Builder optConsumer(Consumer<byte[], byte[]> value) {
      consumer = value;
      return this;
    }

    /** The snapshot topic; default {@code mtl.snapshots}. */
    public Builder optTopic(String value) {
      topic = value;
      return this;
    }

    /** The model to follow (and the default of requests); default {@code default}. */
    public Builder optModelId(String value) {
      modelId = value;
      return this;
    }

    /** Follow every model id on the topic; {@link #optModelId} stays the default. */
    public Builder optAllModels() {
      allModels = true;
      return this;
    }

    /** Extra consumer settings (security, client id, …). */
    public Builder optConsumerProperties(Map<String, Object> value) {
      consumerProperties = Map.copyOf(value);
      return this;
    }

    /** Where the networks live: {@code cpu} (default), {@code auto}, {@code gpu[:N]}. */
    public Builder optDevice(String value) {
      device = value;
      return this;
    }

    /** The clock of load times and age gauges; default UTC system clock. */
    public Builder optClock(Clock value) {
      clock = value;
      return this;
    }

    /** Registry for the {@code mtl.serve.snapshot*} and {@code mtl.serve.model.*} meters. */
    public Builder optMeterRegistry(MeterRegistry value) {
      registry = value;
      return this;
    }

    /** A listener that hears every event from the first one on (repeatable). */
    public Builder optListener(SnapshotListener value) {
      listeners.add(Objects.requireNonNull(value, "listener"));
      return this;
    }

    /** Longest single poll, i.e. the longest {@link #close()} waits for the thread; 500 ms. */
    public Builder optPollTimeout(Duration value) {
      pollTimeout = value;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the missing or invalid setting
     */
    public SnapshotSubscriber build() {
      if (consumer == null && (bootstrapServers == null || bootstrapServers.isBlank())) {
        throw new IllegalArgumentException(
            "setBootstrapServers is required (e.g. MTL_KAFKA_BOOTSTRAP_SERVERS)");
      }
      require(topic != null && !topic.isBlank(), "optTopic must not be blank");
      require(modelId != null && !modelId.isBlank(), "optModelId must not be blank");
      require(device != null, "optDevice must not be null");
      require(clock != null, "optClock must not be null");
      require(
          pollTimeout != null && !pollTimeout.isNegative() && !pollTimeout.isZero(),
          "optPollTimeout must be positive");
      if (registry == null) {
        registry = new SimpleMeterRegistry();
      }
      return new SnapshotSubscriber(this);
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
