package io.mtlstream.runtime.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.mtlstream.event.EventEncoding;
import io.mtlstream.event.TopicTasks;
import io.mtlstream.kafka.TopicSpec;
import io.mtlstream.stream.QualitySettings;
import io.mtlstream.stream.Schemas;
import io.mtlstream.stream.StreamSettings;
import io.mtlstream.train.Activation;
import io.mtlstream.train.LearnerSettings;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.OptimizerSettings;
import io.mtlstream.train.TaskSpec;
import io.mtlstream.train.TaskType;
import io.mtlstream.train.balance.BalancerSettings;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Turns an {@link MtlConfig} into the typed settings of the pipeline: the model, the learner, the
 * stream topology, the topics to provision, and the Kafka Streams properties (our defaults first —
 * exactly-once v2, one stream thread, large-record sizes — then every Kafka setting of the config).
 */
public final class Settings {

  private static final int LARGE = 256 << 20;

  private Settings() {}

  public static ModelSpec model(MtlConfig c) {
    List<TaskSpec> tasks = new ArrayList<>();
    for (String name : list(c.get(MtlKeys.TASKS))) {
      TaskType type = TaskType.parse(c.get(MtlKeys.task(name, MtlKeys.TASK_TYPE), "regression"));
      int outputs =
          Integer.parseInt(
              c.get(
                  MtlKeys.task(name, MtlKeys.TASK_OUTPUTS),
                  type == TaskType.MULTICLASS ? "2" : "1"));
      int[] tower = ints(c.get(MtlKeys.task(name, MtlKeys.TASK_TOWER), ""));
      tasks.add(new TaskSpec(name, type, outputs, tower));
    }
    return new ModelSpec(
        c.getInt(MtlKeys.MODEL_INPUTS),
        ints(c.get(MtlKeys.MODEL_TRUNK)),
        Activation.parse(c.get(MtlKeys.MODEL_ACTIVATION)),
        tasks);
  }

  public static LearnerSettings learner(MtlConfig c) {
    OptimizerSettings.Kind kind = OptimizerSettings.Kind.parse(c.get(MtlKeys.OPTIMIZER));
    double lr = c.getDouble(MtlKeys.LEARNING_RATE);
    OptimizerSettings opt =
        (kind == OptimizerSettings.Kind.ADAM
                ? OptimizerSettings.adam(lr)
                : OptimizerSettings.sgd(lr, c.getDouble(MtlKeys.MOMENTUM)))
            .withClipNorm(c.getDouble(MtlKeys.CLIP_NORM));
    BalancerSettings balancing =
        BalancerSettings.defaults()
            .withAlpha(c.getDouble(MtlKeys.ALPHA))
            .withReference(c.get(MtlKeys.REFERENCE));
    balancing =
        balancing.withGradNorm(balancing.gradNorm().withWeightLr(c.getDouble(MtlKeys.WEIGHT_LR)));
    return LearnerSettings.defaults(model(c))
        .withOptimizer(opt)
        .withBalancer(c.get(MtlKeys.BALANCER))
        .withBalancing(balancing)
        .withSeed(c.getLong(MtlKeys.SEED))
        .withDevice(c.get(MtlKeys.DEVICE))
        .withTaskRemoval(c.getBoolean(MtlKeys.ALLOW_TASK_REMOVAL));
  }

  public static TopicTasks topics(MtlConfig c) {
    List<String> tasks = list(c.get(MtlKeys.TASKS));
    TopicTasks.Builder b =
        TopicTasks.builder()
            .setTasks(tasks)
            .optPrefix(c.get(MtlKeys.TOPIC_PREFIX))
            .optEncoding(EventEncoding.parse(c.get(MtlKeys.EVENT_ENCODING)));
    for (String t : tasks) {
      String topic = c.get(MtlKeys.task(t, MtlKeys.TASK_TOPIC), "");
      if (!topic.isBlank()) {
        b.optOverride(topic, t);
      }
      String encoding = c.get(MtlKeys.task(t, MtlKeys.TASK_ENCODING), "");
      if (!encoding.isBlank()) {
        b.optTaskEncoding(t, EventEncoding.parse(encoding));
      }
    }
    String mixed = c.get(MtlKeys.TOPIC_MIXED);
    if (!mixed.isBlank()) {
      b.optMixedTopic(mixed);
    }
    String mixedEncoding = c.get(MtlKeys.TOPIC_MIXED_ENCODING);
    if (!mixedEncoding.isBlank()) {
      b.optMixedEncoding(EventEncoding.parse(mixedEncoding));
    }
    return b.build();
  }

  public static StreamSettings stream(MtlConfig c, Clock clock, MeterRegistry meters) {
    LearnerSettings learner = learner(c);
    return new StreamSettings(
            Schemas.eventSchema(
                learner.model(), list(c.get(MtlKeys.MODELS)), c.getInt(MtlKeys.EVENT_MAX_BYTES)),
            topics(c),
            learner,
            c.getInt(MtlKeys.BATCH_SIZE),
            c.getInt(MtlKeys.REPORT_EVERY),
            c.getInt(MtlKeys.SNAPSHOT_EVERY),
            c.getLong(MtlKeys.SNAPSHOT_EVERY_MS),
            c.getInt(MtlKeys.CHECKPOINT_EVERY),
            c.get(MtlKeys.TOPIC_DLQ),
            c.get(MtlKeys.TOPIC_METRICS),
            c.get(MtlKeys.TOPIC_SNAPSHOTS),
            clock,
            meters,
            new QualitySettings(
                c.getInt(MtlKeys.QUALITY_HORIZON),
                c.getInt(MtlKeys.QUALITY_AUC_WINDOW),
                c.getDouble(MtlKeys.GATE_TOLERANCE),
                c.getInt(MtlKeys.GATE_MAX_HOLDS)))
        .withBackgroundSteps(c.getBoolean(MtlKeys.BACKGROUND_STEPS));
  }

  /** The topics the learner reads and writes, for creation or validation at start. */
  public static List<TopicSpec> topicSpecs(MtlConfig c) {
    int partitions = c.getInt(MtlKeys.TOPIC_PARTITIONS);
    List<TopicSpec> specs = new ArrayList<>();
    TopicTasks topics = topics(c);
    for (String topic : topics.topics()) {
      specs.add(new TopicSpec(topic, partitions, Map.of("cleanup.policy", "delete")));
    }
    specs.add(
        new TopicSpec(c.get(MtlKeys.TOPIC_DLQ), partitions, TopicSpec.deadLetter(1).configs()));
    specs.add(
        new TopicSpec(
            c.get(MtlKeys.TOPIC_METRICS),
            1,
            TopicSpec.metrics(1, TopicSpec.DEFAULT_METRICS_RETENTION).configs()));
    specs.add(
        new TopicSpec(
            c.get(MtlKeys.TOPIC_SNAPSHOTS),
            partitions,
            TopicSpec.snapshots(1, TopicSpec.DEFAULT_SNAPSHOT_MAX_BYTES).configs()));
    return specs;
  }

  /**
   * Where the metrics endpoint listens: {@code mtl.metrics.host}:{@code mtl.metrics.port}, or empty
   * when the port is 0 (off).
   */
  public static Optional<InetSocketAddress> metricsAddress(MtlConfig c) {
    int port = c.getInt(MtlKeys.METRICS_PORT);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "setting " + MtlKeys.METRICS_PORT.key() + "=" + port + " is not a port (0 turns it off)");
    }
    String host = c.get(MtlKeys.METRICS_HOST).trim();
    return port == 0 ? Optional.empty() : Optional.of(new InetSocketAddress(host, port));
  }

  /** Kafka Streams properties: our defaults, overridden by the config's Kafka settings. */
  public static Properties streams(MtlConfig c) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "mtlstream");
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    // One stream thread: the failover test's bit-identical continuation is proven with it. Two
    // (num.stream.threads=2) decode beside training, faster with JSON events; training steps of
    // learners on different threads take turns (TrainingStep: one gradient collector per JVM).
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    p.put(StreamsConfig.producerPrefix("max.request.size"), LARGE);
    p.put(StreamsConfig.producerPrefix("buffer.memory"), 2L * LARGE);
    // Every event is written twice by the stream thread (repartition, journal changelog). With the
    // 16 KiB default a produce request carried ~11 events, the producer hit its 5 in-flight
    // requests, and each exactly-once commit waited ~85 ms in flush() for the queue to drain: a
    // fifth of the learner's time (bench pipeline). 256 KiB batches cut the wait to a few percent.
    p.put(StreamsConfig.producerPrefix("batch.size"), 256 << 10);
    p.put(StreamsConfig.consumerPrefix("max.partition.fetch.bytes"), LARGE);
    p.put(StreamsConfig.consumerPrefix("fetch.max.bytes"), LARGE);
    // A training step can take a while under load; do not let the group think we died.
    p.put(
        StreamsConfig.consumerPrefix("max.poll.interval.ms"),
        (int) Duration.ofMinutes(5).toMillis());
    p.put(StreamsConfig.topicPrefix("max.message.bytes"), LARGE);
    // Wait briefly for every task topic to have data, so events of different tasks are merged in
    // timestamp order and mini-batches mix tasks instead of taking whole fetches of one task.
    p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 100L);
    // An exactly-once commit (flush stores, end the transaction) measured as a third of a stream
    // thread's time at the 100 ms EOS default. Commit less often; the learner asks for a commit
    // right after publishing a snapshot, so snapshots still become visible at once, and the
    // decode stage's output waits at most this long before the learner may read it.
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 500L);
    // Read by the learner processor from its app configs (Streams passes unknown keys through).
    int chunk = c.getInt(MtlKeys.CHECKPOINT_CHUNK_BYTES);
    if (chunk < 1 || chunk > LARGE) {
      throw new IllegalArgumentException(
          "setting "
              + MtlKeys.CHECKPOINT_CHUNK_BYTES.key()
              + "="
              + chunk
              + " must be between 1 and "
              + LARGE
              + " bytes");
    }
    p.put(MtlKeys.CHECKPOINT_CHUNK_BYTES.key(), Integer.toString(chunk));
    p.putAll(c.kafka());
    return p;
  }

  static List<String> list(String text) {
    return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  static int[] ints(String text) {
    return list(text).stream().mapToInt(Integer::parseInt).toArray();
  }
}
