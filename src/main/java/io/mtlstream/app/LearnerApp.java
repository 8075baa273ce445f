package io.mtlstream.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.mtlstream.app.config.MtlConfig;
import io.mtlstream.app.config.Settings;
import io.mtlstream.kafka.TopicProvisioner;
import io.mtlstream.stream.LearnerTopology;
import io.mtlstream.stream.StreamSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learner as a running service: provisions (or validates) its topics, then runs the learner
 * topology in a {@link KafkaStreams} instance. Owns the Streams instance; {@link #close()} commits
 * and shuts down cleanly (a final commit under exactly-once). Start once, close once.
 */
public final class LearnerApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LearnerApp.class);

  private final KafkaStreams streams;
  private final StreamSettings settings;

  public LearnerApp(MtlConfig config, MeterRegistry meters) {
    Properties props = Settings.streams(config);
    String bootstrap = (String) props.get("bootstrap.servers");
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new IllegalArgumentException(
          "no bootstrap.servers: set it in the config file, or MTL_KAFKA_BOOTSTRAP_SERVERS");
    }
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      new TopicProvisioner(admin, Duration.ofSeconds(30)).provision(Settings.topicSpecs(config));
    }
    this.settings = Settings.stream(config, Clock.systemUTC(), meters);
    this.streams = new KafkaStreams(LearnerTopology.build(settings), props);
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error("learner stream thread failed; shutting down this client", e);
          return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler
              .StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
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

  public KafkaStreams.State state() {
    return streams.state();
  }

  public StreamSettings settings() {
    return settings;
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(60));
  }
}
