package io.mtlstream.app;

import io.mtlstream.event.EventEncoding;
import io.mtlstream.event.TopicTasks;
import io.mtlstream.generate.EventPublisher;
import io.mtlstream.generate.EventTopics;
import io.mtlstream.generate.SigmaDrift;
import io.mtlstream.generate.ToyEventSource;
import io.mtlstream.kafka.TopicSpec;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code mtlstream generate}: publishes GradNorm's toy-task events to {@code <prefix><task>} and
 * prints {@code sent N events in S s (R events/s)}. SIGTERM or SIGINT stops it after flushing, with
 * exit 0; exit 1 when Kafka does not take the events.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description =
        "Publishes synthetic events of GradNorm's toy tasks σ_i·tanh((B+ε_i)x) (250 features,"
            + " 100 regression outputs per task; tasks task0..task{T-1}), round-robin over tasks.")
public final class GenerateCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(GenerateCommand.class);
  private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

  @Spec CommandSpec spec;

  @Option(
      names = "--bootstrap-servers",
      defaultValue = "${env:MTL_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
      description =
          "Kafka bootstrap servers (default: $MTL_BOOTSTRAP_SERVERS, else 127.0.0.1:9092)")
  String bootstrapServers;

  @Option(names = "--sigmas", split = ",", defaultValue = "1,100", description = "task scales σ_i")
  double[] sigmas;

  @Option(names = "--rate", defaultValue = "0", description = "events/s; 0 = as fast as possible")
  double rate;

  @Option(names = "--count", defaultValue = "100000", description = "events; 0 = until stopped")
  long count;

  @Option(names = "--seed", defaultValue = "0", description = "fixes B, ε_i and the inputs")
  long seed;

  @Option(names = "--model", defaultValue = "default", description = "model id of the events")
  String model;

  @Option(
      names = "--topic-prefix",
      defaultValue = TopicTasks.DEFAULT_PREFIX,
      description = "task t goes to <prefix>t (default: ${DEFAULT-VALUE})")
  String topicPrefix;

  @Option(
      names = "--drift",
      split = ",",
      paramLabel = "EVENT:TASK:SIGMA",
      description = "from event EVENT on, task TASK has scale SIGMA, e.g. 50000:1:1")
  List<String> drifts = new ArrayList<>();

  @Option(
      names = "--create-topics",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "create missing event topics; --no-create-topics only waits for them (default: true)")
  boolean createTopics;

  @Option(names = "--partitions", defaultValue = "1", description = "partitions of new topics")
  int partitions;

  @Option(
      names = "--encoding",
      defaultValue = "json",
      description =
          "json or binary (docs/EVENT_FORMAT.md); the learner reads binary topics with"
              + " mtl.event.encoding=binary or auto (default: ${DEFAULT-VALUE})")
  String encoding;

  @Override
  public Integer call() {
    NativeDefaults.threads(false);
    EventEncoding writeAs = writeEncoding();
    try (ToyEventSource events = newSource()) {
      prepareTopics(events.taskNames());
      try (EventPublisher publisher =
          EventPublisher.builder()
              .setProducer(EventPublisher.newProducer(bootstrapServers, Map.of()))
              .setSource(events)
              .optTopicPrefix(topicPrefix)
              .optRate(rate)
              .optEncoding(writeAs)
              .build()) {
        Runnable restoreSignals = Signals.onSignals(publisher::stop, "TERM", "INT");
        long start = System.nanoTime();
        long sent;
        try {
          sent = publisher.run(count == 0 ? EventPublisher.UNLIMITED : count);
        } finally {
          restoreSignals.run();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
            Locale.ROOT,
            "sent %d events in %.3f s (%.0f events/s)%n",
            sent,
            seconds,
            sent / Math.max(seconds, 1e-9));
        out.flush();
      }
      return 0;
    } catch (KafkaException | IllegalStateException e) {
      LOG.debug("generate failed", e);
      spec.commandLine().getErr().println("generate failed: " + e.getMessage());
      return 1;
    }
  }

  /** Checks the options before any Kafka work; bad values are usage errors (exit 2). */
  private ToyEventSource newSource() {
    require(count >= 0, "--count must be >= 0 (0: until stopped), was " + count);
    require(rate >= 0 && !Double.isInfinite(rate), "--rate must be >= 0 (0: unlimited)");
    require(partitions >= 1, "--partitions must be >= 1, was " + partitions);
    try {
      ToyEventSource events =
          ToyEventSource.builder()
              .setSigmas(sigmas)
              .optSeed(seed)
              .optModel(model)
              .optDrifts(drifts.stream().map(SigmaDrift::parse).toList())
              .build();
      try {
        // Rejects a prefix that makes illegal topic names, with Kafka's naming rule.
        TopicTasks.builder().setTasks(events.taskNames()).optPrefix(topicPrefix).build();
      } catch (IllegalArgumentException e) {
        events.close();
        throw e;
      }
      return events;
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  private EventEncoding writeEncoding() {
    EventEncoding e;
    try {
      e = EventEncoding.parse(encoding);
    } catch (IllegalArgumentException ex) {
      throw new ParameterException(spec.commandLine(), ex.getMessage(), ex);
    }
    require(e != EventEncoding.AUTO, "--encoding must be json or binary, was auto");
    return e;
  }

  private void require(boolean ok, String message) {
    if (!ok) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }

  /** Creates missing topics if asked, and always waits until their partitions take writes. */
  private void prepareTopics(List<String> tasks) {
    List<TopicSpec> specs = EventTopics.specs(topicPrefix, tasks, partitions);
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) TOPIC_TIMEOUT.toMillis()))) {
      if (createTopics) {
        EventTopics.provision(admin, specs, TOPIC_TIMEOUT);
      } else {
        EventTopics.awaitServed(admin, specs.stream().map(TopicSpec::name).toList(), TOPIC_TIMEOUT);
      }
    }
  }
}
