package io.mtlstream.stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.mtlstream.event.EventSchema;
import io.mtlstream.event.TopicTasks;
import io.mtlstream.train.LearnerSettings;
import java.time.Clock;
import java.util.Objects;

/**
 * What the learner topology needs: the event schema and topic mapping, the learner settings every
 * model starts from, batching and publishing cadences, output topic names.
 *
 * @param schema event validation schema
 * @param topics input topic → task mapping
 * @param learner settings for every model's learner (models differ only in their data)
 * @param batchSize events per training step
 * @param reportEverySteps publish a training report every this many steps
 * @param snapshotEverySteps publish a snapshot every this many steps (0: off)
 * @param snapshotEveryMillis also publish when event time advanced this much since the last
 *     snapshot (0: off); event time keeps it deterministic
 * @param checkpointEverySteps serialise the learner into its state store every this many steps;
 *     events in between are journaled
 * @param deadLetterTopic topic for rejected input
 * @param metricsTopic topic for training reports
 * @param snapshotsTopic compacted topic for snapshots
 * @param clock wall clock for rates and creation times (never for training decisions)
 * @param meters where counters go (events accepted, rejected by reason)
 * @param quality prequential evaluation and snapshot gate settings
 * @param directPartitions 0: events are re-keyed and repartitioned by model id (any input
 *     partitioning works); n ≥ 1: every input topic has n partitions and is keyed by model id, so
 *     the learner reads the input topics directly (see {@link #withDirectInput})
 * @param backgroundSteps train on a trainer thread, steps with nothing to publish while the stream
 *     thread reads, decodes and journals the next batch (see {@code ModelRuntime.accept}); false
 *     trains every step on the stream thread
 */
public record StreamSettings(
    EventSchema schema,
    TopicTasks topics,
    LearnerSettings learner,
    int batchSize,
    int reportEverySteps,
    int snapshotEverySteps,
    long snapshotEveryMillis,
    int checkpointEverySteps,
    String deadLetterTopic,
    String metricsTopic,
    String snapshotsTopic,
    Clock clock,
    MeterRegistry meters,
    QualitySettings quality,
    int directPartitions,
    boolean backgroundSteps) {

  /**
   * Settings that repartition the input by model id and train every step on the stream thread
   * ({@link #withDirectInput} and {@link #withBackgroundSteps} change either).
   */
  public StreamSettings(
      EventSchema schema,
      TopicTasks topics,
      LearnerSettings learner,
      int batchSize,
      int reportEverySteps,
      int snapshotEverySteps,
      long snapshotEveryMillis,
      int checkpointEverySteps,
      String deadLetterTopic,
      String metricsTopic,
      String snapshotsTopic,
      Clock clock,
      MeterRegistry meters,
      QualitySettings quality) {
    this(
        schema,
        topics,
        learner,
        batchSize,
        reportEverySteps,
        snapshotEverySteps,
        snapshotEveryMillis,
        checkpointEverySteps,
        deadLetterTopic,
        metricsTopic,
        snapshotsTopic,
        clock,
        meters,
        quality,
        0,
        false);
  }

  public StreamSettings {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(learner, "learner");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(meters, "meters");
    Objects.requireNonNull(quality, "quality");
    require(batchSize >= 1, "batch size must be >= 1");
    require(reportEverySteps >= 1, "report interval must be >= 1 step");
    require(snapshotEverySteps >= 0 && snapshotEveryMillis >= 0, "snapshot cadence must be >= 0");
    require(checkpointEverySteps >= 1, "checkpoint interval must be >= 1 step");
    require(directPartitions >= 0, "direct input partitions must be >= 0");
  }

  /** The same settings reading {@code value} topics. */
  public StreamSettings withTopics(TopicTasks value) {
    return copy(value, quality, directPartitions, backgroundSteps);
  }

  /** The same settings with {@code value} prequential evaluation and gate settings. */
  public StreamSettings withQuality(QualitySettings value) {
    return copy(topics, value, directPartitions, backgroundSteps);
  }

  /**
   * The same settings reading input that producers already partitioned by model id: every input
   * topic has {@code partitions} partitions and each event sits on the partition Kafka's default
   * partitioner gives its model id. The learner then runs in the same stream task as the decoder,
   * without the repartition topic; an event found on another partition is dead-lettered.
   */
  public StreamSettings withDirectInput(int partitions) {
    require(partitions >= 1, "direct input needs >= 1 partition per topic");
    return copy(topics, quality, partitions, backgroundSteps);
  }

  /** The same settings training quiet steps on a trainer thread ({@code true}) or not. */
  public StreamSettings withBackgroundSteps(boolean value) {
    return copy(topics, quality, directPartitions, value);
  }

  /** These settings with the components the withers change replaced. */
  private StreamSettings copy(TopicTasks t, QualitySettings q, int partitions, boolean background) {
    return new StreamSettings(
        schema,
        t,
        learner,
        batchSize,
        reportEverySteps,
        snapshotEverySteps,
        snapshotEveryMillis,
        checkpointEverySteps,
        deadLetterTopic,
        metricsTopic,
        snapshotsTopic,
        clock,
        meters,
        q,
        partitions,
        background);
  }

  /** Whether the learner reads the input topics directly (no by-model repartition). */
  public boolean directInput() {
    return directPartitions > 0;
  }

  /**
   * The model id rejected records are counted under: a rejected record's own model field cannot be
   * trusted (it may be the bad part), so rejections are reported with the first allowed model, or
   * {@code default}.
   */
  public String rejectionModel() {
    return schema.models().isEmpty() ? "default" : schema.models().iterator().next();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
