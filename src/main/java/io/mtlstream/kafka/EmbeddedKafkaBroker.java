package io.mtlstream.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka broker (broker and controller in one process) running inside this
 * JVM, listening on 127.0.0.1 only. Used by the {@code demo} and {@code broker} commands and by
 * tests.
 *
 * <p>Ownership: the instance owns the server, its threads and, when no data dir was given, a
 * temporary data dir that {@link #close()} deletes. A given data dir is kept: it is formatted once
 * and reused on every later start, so topics and records survive restarts.
 *
 * <p>Threading: {@link #start()} and {@link #close()} are synchronized and may be called from any
 * thread; a shutdown hook closes a broker the application forgot to close. One instance runs at
 * most once: build a new one on the same data dir to restart.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final int BIND_ATTEMPTS = 3;

  private enum State {
    NEW,
    RUNNING,
    CLOSED
  }

  private final int requestedPort;
  private final Path givenDataDir;
  private final Map<String, String> extraProps;
  private final Duration startTimeout;
  private State state = State.NEW;
  private Path dataDir;
  private int port;
  private KafkaRaftServer server;
  private Thread shutdownHook;

  private EmbeddedKafkaBroker(Builder b) {
    this.requestedPort = b.port;
    this.givenDataDir = b.dataDir;
    this.extraProps = Map.copyOf(b.props);
    this.startTimeout = b.startTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Formats the data dir if needed, starts the broker and returns once it answers an Admin {@code
   * describeCluster}. Calling it again on a running broker does nothing.
   *
   * @throws IllegalStateException if the broker was closed or does not come up within the timeout
   */
  public synchronized EmbeddedKafkaBroker start() {
    if (state == State.RUNNING) {
      return this;
    }
    if (state == State.CLOSED) {
      throw new IllegalStateException("Broker was closed; build a new one to restart it");
    }
    long t0 = System.nanoTime();
    boolean formatted;
    try {
      dataDir = givenDataDir != null ? givenDataDir : KafkaStorage.newTempDir();
      formatted = boot();
    } catch (RuntimeException e) {
      state = State.CLOSED;
      deleteIfOwned();
      throw e;
    }
    state = State.RUNNING;
    shutdownHook = new Thread(this::close, "mtl-broker-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    try {
      ClusterProbe.awaitReady(bootstrapServers(), startTimeout);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    LOG.info(
        "Kafka broker up at {} in {} ms ({} data dir {})",
        bootstrapServers(),
        (System.nanoTime() - t0) / 1_000_000,
        formatted ? "formatted" : "reused",
        dataDir);
    return this;
  }

  /** Formats if needed and starts the server; returns whether it formatted. */
  private boolean boot() {
    boolean formatted = false;
    for (int attempt = 1; ; attempt++) {
      port = requestedPort == 0 ? LoopbackPorts.freePort() : requestedPort;
      int controllerPort = LoopbackPorts.freePort();
      Properties props = BrokerSettings.newProperties(port, controllerPort, dataDir, extraProps);
      formatted |= KafkaStorage.formatIfNeeded(dataDir, props);
      KafkaRaftServer candidate =
          new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
      try {
        candidate.startup();
        server = candidate;
        return formatted;
      } catch (RuntimeException e) {
        stopQuietly(candidate);
        // A port picked as free can be taken by another process before the broker binds it;
        // a port the user asked for is reported instead.
        boolean userPortTaken = requestedPort != 0 && LoopbackPorts.mentions(e, port);
        if (!LoopbackPorts.isBindFailure(e) || userPortTaken || attempt >= BIND_ATTEMPTS) {
          throw e;
        }
        LOG.warn("Port race on start (attempt {}), retrying with new ports", attempt);
      }
    }
  }

  /** {@code 127.0.0.1:PORT} of the running broker, for {@code bootstrap.servers}. */
  public synchronized String bootstrapServers() {
    if (state != State.RUNNING) {
      throw new IllegalStateException("Broker is " + state + "; start() it first");
    }
    return BrokerSettings.HOST + ":" + port;
  }

  /** The log directory; null before {@link #start()}. */
  public synchronized Path dataDir() {
    return dataDir;
  }

  /** Shuts the broker down cleanly and waits for it; deletes an owned temp dir. Idempotent. */
  @Override
  public synchronized void close() {
    if (state == State.CLOSED) {
      return;
    }
    boolean wasRunning = state == State.RUNNING;
    state = State.CLOSED;
    if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException jvmShuttingDown) {
        // The hook is running or about to; it will find the broker closed.
      }
    }
    if (wasRunning) {
      long t0 = System.nanoTime();
      stopQuietly(server);
      LOG.info("Kafka broker {} stopped in {} ms", port, (System.nanoTime() - t0) / 1_000_000);
    }
    server = null;
    deleteIfOwned();
  }

  private void deleteIfOwned() {
    if (givenDataDir == null) {
      KafkaStorage.deleteQuietly(dataDir);
    }
  }

  private static void stopQuietly(KafkaRaftServer s) {
    try {
      s.shutdown();
      s.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("Kafka broker shutdown failed", e);
    }
  }

  /** Builder for {@link EmbeddedKafkaBroker}; not thread-safe. */
  public static final class Builder {
    private int port;
    private Path dataDir;
    private final Map<String, String> props = new LinkedHashMap<>();
    private Duration startTimeout = Duration.ofSeconds(60);

    private Builder() {}

    /** Broker listener port on 127.0.0.1; 0 (default) picks a free one. */
    public Builder optPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in 0..65535 (0 = any free), was " + port);
      }
      this.port = port;
      return this;
    }

    /** Persistent log dir, formatted once and reused; default: a temp dir deleted on close. */
    public Builder optDataDir(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
      return this;
    }

    /** An extra broker property; overrides the defaults. */
    public Builder optProperty(String key, String value) {
      props.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** How long {@link #start()} waits for the broker to answer; default 60 s. */
    public Builder optStartTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("start timeout must be positive, was " + timeout);
      }
      this.startTimeout = timeout;
      return this;
    }

    public EmbeddedKafkaBroker build() {
      return new EmbeddedKafkaBroker(this);
    }
  }
}
