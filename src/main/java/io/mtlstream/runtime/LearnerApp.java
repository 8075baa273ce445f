package io.mtlstream.runtime;

import ai.djl.ndarray.NDManager;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mtlstream.kafka.DirectInputChecks;
import io.mtlstream.kafka.TopicProvisioner;
import io.mtlstream.runtime.config.MtlConfig;
import io.mtlstream.runtime.config.MtlKeys;
import io.mtlstream.runtime.config.Settings;
import io.mtlstream.stream.LearnerTopology;
import io.mtlstream.stream.StreamSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learner as a running service: provisions (or validates) its topics, then runs the learner
 * topology in a {@link KafkaStreams} instance, with its meters — the learner's own, the JVM's, the
 * Streams client's and DJL's live native arrays — in one registry. When {@code mtl.metrics.port} is
 * set (default 9400) and the registry is a Prometheus one, a {@link MetricsEndpoint} serves it.
 * Owns the Streams instance, the meter binders and the endpoint; {@link #close()} commits and shuts
 * down cleanly (a final commit under exactly-once). Start once, close once.
 */
public final class LearnerApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LearnerApp.class);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaStreams streams;
  private final StreamSettings settings;
  private final MeterRegistry meters;
  private final List<AutoCloseable> binders = new ArrayList<>();
  private final MetricsEndpoint endpoint;

  /**
   * The learner with its own registry: Prometheus (served on {@code mtl.metrics.host:port}) unless
   * the port is 0, then a simple in-memory one.
   */
  public LearnerApp(MtlConfig config) {
    this(
        config,
        Settings.metricsAddress(config).isPresent()
            ? MetricsEndpoint.newRegistry()
            : new SimpleMeterRegistry());
  }

  /**
   * The learner with the caller's registry (it wins over creating one). It is served over HTTP only
   * if it is a {@link PrometheusMeterRegistry} and {@code mtl.metrics.port} is not 0.
   */
  public LearnerApp(MtlConfig config, MeterRegistry meters) {
    // A no-op when the CLI already did it; here for processes that embed the learner.
    MallocTuning.apply();
    String threads = config.get(MtlKeys.THREADS);
    if (!threads.isBlank()) {
      // Read by DJL when the engine first loads, which happens in the first training step.
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(Integer.parseInt(threads)));
    }
    Properties props = Settings.streams(config);
    String bootstrap = (String) props.get("bootstrap.servers");
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new IllegalArgumentException(
          "no bootstrap.servers: set it in the config file, or MTL_KAFKA_BOOTSTRAP_SERVERS");
    }
    StreamSettings stream = Settings.stream(config, Clock.systemUTC(), meters);
    try (Admin admin = Admin.create(clientConfig(props))) {
      new TopicProvisioner(admin, ADMIN_TIMEOUT).provision(Settings.topicSpecs(config));
      if (config.getBoolean(MtlKeys.INPUT_PARTITIONED_BY_MODEL)) {
        stream = stream.withDirectInput(directPartitions(admin, props, stream));
      }
    }
    this.meters = meters;
    this.settings = stream;
    this.streams = new KafkaStreams(LearnerTopology.build(settings), props);
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error("learner stream thread failed; shutting down this client", e);
          return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler
              .StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    bindProcessMeters();
    binders.add(NativeHeapTrim.start(Duration.ofMillis(config.getLong(MtlKeys.NATIVE_TRIM_MS))));
    this.endpoint = startEndpoint(config);
  }

  /**
   * The input topics' shared partition count, after making sure the learners' state was written
   * under it and no event of an earlier, repartitioning run still waits on the by-model topic that
   * the direct topology does not read.
   */
  private static int directPartitions(Admin admin, Properties props, StreamSettings stream) {
    int partitions =
        DirectInputChecks.sharedPartitionCount(admin, stream.topics().topics(), ADMIN_TIMEOUT);
    String group = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
    String state = LearnerTopology.checkpointChangelog(group);
    OptionalInt written = DirectInputChecks.partitionCount(admin, state, ADMIN_TIMEOUT);
    if (written.isPresent() && written.getAsInt() != partitions) {
      throw new IllegalStateException(
          "the input topics have "
              + partitions
              + " partitions but the learners' state ("
              + state
              + ") was written under "
              + written.getAsInt()
              + ": read directly, models would land on partitions away from their state. Fix: feed"
              + " the learner from topics with "
              + written.getAsInt()
              + " partitions, or reset the application (kafka-streams-application-reset.sh) to"
              + " retrain under "
              + partitions);
    }
    String byModel = LearnerTopology.byModelTopic(group);
    long waiting =
        DirectInputChecks.unconsumed(admin, clientConfig(props), group, byModel, ADMIN_TIMEOUT);
    if (waiting > 0) {
      throw new IllegalStateException(
          waiting
              + " events on "
              + byModel
              + " are not trained yet and the direct input would skip them. Fix: run with"
              + " mtl.input.partitioned.by.model=false until the learner has caught up, then"
              + " switch");
    }
    LOG.info("direct input: {} partitions per input topic, no by-model repartition", partitions);
    return partitions;
  }

  /** Connection settings (servers, security) of the Streams config, for plain clients. */
  private static Map<String, Object> clientConfig(Properties props) {
    Map<String, Object> config = new HashMap<>();
    props.forEach(
        (k, v) -> {
          String key = k.toString();
          if (key.equals(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
              || key.startsWith("security.")
              || key.startsWith("sasl.")
              || key.startsWith("ssl.")) {
            config.put(key, v);
          }
        });
    return config;
  }

  private void bindProcessMeters() {
    new JvmMemoryMetrics().bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    new ProcessorMetrics().bindTo(meters);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(meters);
    binders.add(gc);
    KafkaStreamsMetrics kafka = new KafkaStreamsMetrics(streams);
    kafka.bindTo(meters);
    binders.add(kafka);
    NativeArrays.bindTo(meters);
  }

  private MetricsEndpoint startEndpoint(MtlConfig config) {
    var address = Settings.metricsAddress(config);
    if (address.isEmpty() || !(meters instanceof PrometheusMeterRegistry prometheus)) {
      return null;
    }
    try {
      return MetricsEndpoint.start(address.get(), prometheus, this::health);
    } catch (java.io.UncheckedIOException e) {
      // Metrics are not worth losing the learner for (two learners on one host, say): say so.
      LOG.warn("learner runs without its metrics endpoint: {}", e.getMessage());
      return null;
    }
  }

  private MetricsEndpoint.Health health() {
    KafkaStreams.State s = streams.state();
    boolean up = s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING;
    return new MetricsEndpoint.Health(up, "kafka streams " + s);
  }

  public LearnerApp start() {
    streams.start();
    return this;
  }

  /**
   * Waits until the learner is RUNNING (joined its group, restored its state) or the deadline
   * passes; returns whether it runs.
   */
  public boolean awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      KafkaStreams.State s = streams.state();
      if (s == KafkaStreams.State.RUNNING) {
        return true;
      }
      if (s == KafkaStreams.State.ERROR || s == KafkaStreams.State.NOT_RUNNING) {
        return false;
      }
      Thread.sleep(50);
    }
    return false;
  }

  /** Runs {@code action} once the learner reaches ERROR or NOT_RUNNING. */
  public void onStopped(Runnable action) {
    streams.setStateListener(
        (now, before) -> {
          if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
            action.run();
          }
        });
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  public StreamSettings settings() {
    return settings;
  }

  /** The Kafka clients' live metrics (what the registry's {@code kafka.*} meters are bound to). */
  public Map<MetricName, ? extends Metric> clientMetrics() {
    return streams.metrics();
  }

  /** The registry every meter of this learner is in. */
  public MeterRegistry meters() {
    return meters;
  }

  /** {@code http://host:port/metrics} when the endpoint runs. */
  public Optional<String> metricsUrl() {
    return Optional.ofNullable(endpoint).map(MetricsEndpoint::metricsUrl);
  }

  @Override
  public void close() {
    try {
      streams.close(Duration.ofSeconds(60));
    } finally {
      if (endpoint != null) {
        endpoint.close();
      }
      for (AutoCloseable binder : binders) {
        try {
          binder.close();
        } catch (Exception e) {
          LOG.warn("closing meter binder {} failed", binder, e);
        }
      }
    }
  }

  /**
   * DJL's live native arrays, engine-wide: the size of the system manager's tree, counted when
   * scraped (a walk over a few hundred entries of concurrent maps; never during a step). Native
   * bytes are not measured: reading a shape may call into native code on an array that the stream
   * thread is closing.
   */
  private static final class NativeArrays {
    static void bindTo(MeterRegistry meters) {
      NDManager system;
      try (NDManager probe = NDManager.newBaseManager()) {
        system = probe.getParentManager();
      }
      Gauge.builder("mtl.djl.live.arrays", system, m -> m.getManagedArrays().size())
          .description("NDArrays alive in DJL's native memory, all managers of the engine")
          .baseUnit("arrays")
          .strongReference(true)
          .register(meters);
    }
  }
}
