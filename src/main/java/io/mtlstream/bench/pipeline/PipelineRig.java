package io.mtlstream.bench.pipeline;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mtlstream.event.EventEncoding;
import io.mtlstream.event.TopicTasks;
import io.mtlstream.generate.EventPublisher;
import io.mtlstream.generate.EventRecords;
import io.mtlstream.kafka.EmbeddedKafkaBroker;
import io.mtlstream.kafka.TopicProvisioner;
import io.mtlstream.runtime.LearnerApp;
import io.mtlstream.runtime.config.MtlConfig;
import io.mtlstream.runtime.config.MtlKeys;
import io.mtlstream.runtime.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The pipeline under test, in this process: an embedded KRaft broker on 127.0.0.1, the learner's
 * topics, event feeds (all at once or paced) and learners started through {@link LearnerApp} — its
 * public entry point, so the harness keeps working while the learner's internals change.
 *
 * <p>Owns the broker and a temporary state directory; {@link #close()} removes both. Learners and
 * feeds it hands out belong to the caller. Threading: one thread drives the rig.
 */
public final class PipelineRig implements AutoCloseable {

  /** Distinct events a live feed replays: enough to mix tasks and batches, small in memory. */
  public static final int LIVE_POOL = 20_000;

  private static final AtomicInteger FEED_PRODUCERS = new AtomicInteger();

  private final EmbeddedKafkaBroker broker;
  private final PipelineWorkload workload;
  private final Map<String, String> settings;
  private final Path stateRoot;

  /**
   * Starts the broker and creates the learner's topics.
   *
   * @param settings learner settings over the workload's model ({@code mtl.*} and Kafka keys)
   * @param brokerProperties extra broker settings (e.g. retention for long runs)
   */
  public PipelineRig(
      PipelineWorkload workload, Map<String, String> settings, Map<String, String> brokerProperties)
      throws IOException {
    this.workload = workload;
    this.settings = Map.copyOf(settings);
    this.stateRoot = Files.createTempDirectory("mtl-bench-state");
    EmbeddedKafkaBroker.Builder b = EmbeddedKafkaBroker.builder();
    brokerProperties.forEach(b::optProperty);
    this.broker = b.build().start();
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      new TopicProvisioner(admin, Duration.ofSeconds(30))
          .provision(Settings.topicSpecs(config("provision", Map.of())));
    }
  }

  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  public PipelineWorkload workload() {
    return workload;
  }

  /**
   * The learner config of a run: the workload's model, the rig's settings, then {@code overrides};
   * its own application id and state dir (so every run starts from an empty state), metrics
   * endpoint off.
   */
  public MtlConfig config(String runId, Map<String, String> overrides) {
    Map<String, String> s = new HashMap<>(workload.modelSettings());
    s.put("bootstrap.servers", broker.bootstrapServers());
    s.put("application.id", "mtl-bench-" + runId);
    s.put("state.dir", stateRoot.resolve(runId).toString());
    s.put(MtlKeys.METRICS_PORT.key(), "0");
    s.putAll(settings);
    s.putAll(overrides);
    return MtlConfig.load(null, Map.of(), s);
  }

  /** A started learner with its own in-memory registry (read it with {@link LearnerProbe}). */
  public LearnerApp startLearner(MtlConfig config) {
    return new LearnerApp(config, new SimpleMeterRegistry()).start();
  }

  /** Sends {@code count} events as fast as the broker takes them; returns once all are acked. */
  public long preload(long count) {
    try (PipelineWorkload.Events source = workload.newSource(Clock.systemUTC());
        EventPublisher publisher = publisher(source, 0)) {
      return publisher.run(count);
    }
  }

  /** Starts sending events at {@code rate} per second on a background thread until closed. */
  public Feed startFeed(double rate) {
    return new Feed(rate);
  }

  /**
   * Starts a {@link LiveFeed} of {@code count} events, at most {@code maxAhead} ahead of {@code
   * trained}, replaying a pool of up to {@value #LIVE_POOL} events generated and encoded first.
   */
  public LiveFeed startLiveFeed(long count, long maxAhead, LongSupplier trained) {
    List<ProducerRecord<byte[], byte[]>> pool = new ArrayList<>();
    EventRecords records = new EventRecords(TopicTasks.DEFAULT_PREFIX, encoding());
    try (PipelineWorkload.Events source = workload.newSource(Clock.systemUTC())) {
      while (pool.size() < Math.min(count, LIVE_POOL) && source.hasNext()) {
        pool.add(records.of(source.next()));
      }
    }
    return new LiveFeed(feedProducer(), pool, count, maxAhead, trained);
  }

  /**
   * A producer whose client id, and so its I/O thread's name, marks it as the feed's, for {@link
   * CpuBudget}; numbered, as client ids of one JVM must differ.
   */
  private Producer<byte[], byte[]> feedProducer() {
    String clientId = CpuBudget.FEED_PREFIX + "-" + FEED_PRODUCERS.incrementAndGet();
    return EventPublisher.newProducer(
        broker.bootstrapServers(), Map.of(ProducerConfig.CLIENT_ID_CONFIG, clientId));
  }

  /** Publishes in the encoding the learner is configured to read ({@code mtl.event.encoding}). */
  private EventPublisher publisher(PipelineWorkload.Events source, double rate) {
    return EventPublisher.builder()
        .setProducer(feedProducer())
        .setSource(source)
        .optRate(rate)
        .optEncoding(encoding())
        .build();
  }

  private EventEncoding encoding() {
    EventEncoding e =
        EventEncoding.parse(
            settings.getOrDefault(
                MtlKeys.EVENT_ENCODING.key(), MtlKeys.EVENT_ENCODING.defaultValue()));
    return e == EventEncoding.BINARY ? EventEncoding.BINARY : EventEncoding.JSON;
  }

  @Override
  public void close() {
    try {
      broker.close();
    } finally {
      deleteTree(stateRoot);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }

  /** A paced event feed on its own thread; owns its source and publisher. */
  public final class Feed implements AutoCloseable {
    private final PipelineWorkload.Events source = workload.newSource(Clock.systemUTC());
    private final EventPublisher publisher;
    private final Thread thread;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private boolean closed;

    private Feed(double rate) {
      this.publisher = publisher(source, rate);
      this.thread =
          new Thread(
              () -> {
                try {
                  publisher.run(EventPublisher.UNLIMITED);
                } catch (RuntimeException e) {
                  failure.set(e);
                }
              },
              CpuBudget.FEED_PREFIX);
      thread.setDaemon(true);
      thread.start();
    }

    /** Events handed to the producer so far. */
    public long sent() {
      return publisher.sent();
    }

    /**
     * Stops sending, waits for every event to be acknowledged, and rethrows a send failure.
     * Idempotent.
     */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      publisher.stop();
      try {
        thread.join(Duration.ofSeconds(60).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        publisher.close();
        source.close();
      }
      if (failure.get() != null) {
        throw failure.get();
      }
    }
  }
}
