package io.mtlstream.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A topic the project needs: its name, the partition count to create it with, and the topic configs
 * to create it with. {@link TopicProvisioner} checks the critical configs of existing topics.
 * Immutable.
 *
 * @param name a legal Kafka topic name
 * @param partitions partitions when created (≥ 1)
 * @param configs topic-level configs when created; copied
 */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {

  public static final String EVENTS_PREFIX = "mtl.events.";
  public static final String DEAD_LETTER = "mtl.dlq";
  public static final String METRICS = "mtl.metrics";
  public static final String SNAPSHOTS = "mtl.snapshots";

  public static final Duration DEFAULT_METRICS_RETENTION = Duration.ofDays(7);

  /** Fits the embedded broker's {@code message.max.bytes}; models above 1 MB must fit. */
  public static final int DEFAULT_SNAPSHOT_MAX_BYTES = BrokerSettings.MAX_MESSAGE_BYTES;

  static final String CLEANUP_POLICY = "cleanup.policy";
  static final String MAX_MESSAGE_BYTES = "max.message.bytes";

  // Kafka's own rule: [a-zA-Z0-9._-], at most 249 characters, not "." or "..".
  private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  public TopicSpec {
    if (name == null || !LEGAL.matcher(name).matches() || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException(
          "Illegal topic name '" + name + "': use 1-249 of [a-zA-Z0-9._-], not '.' or '..'");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "Topic " + name + " needs at least 1 partition, was " + partitions);
    }
    configs = Map.copyOf(configs);
  }

  /** {@code mtl.events.<task>}: raw events of one task, kept by time (never compacted). */
  public static TopicSpec events(String task, int partitions) {
    return new TopicSpec(EVENTS_PREFIX + task, partitions, Map.of(CLEANUP_POLICY, "delete"));
  }

  /** {@code mtl.dlq}: rejected events with reason and provenance headers. */
  public static TopicSpec deadLetter(int partitions) {
    return new TopicSpec(DEAD_LETTER, partitions, Map.of(CLEANUP_POLICY, "delete"));
  }

  /** {@code mtl.metrics}: one JSON training report per record, kept for {@code retention}. */
  public static TopicSpec metrics(int partitions, Duration retention) {
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("metrics retention must be positive, was " + retention);
    }
    return new TopicSpec(
        METRICS,
        partitions,
        Map.of(CLEANUP_POLICY, "delete", "retention.ms", Long.toString(retention.toMillis())));
  }

  /**
   * {@code mtl.snapshots}: compacted, keyed by model id, so a consumer finds the latest snapshot of
   * every model and old snapshots are reclaimed.
   *
   * @param maxMessageBytes the largest snapshot record; the broker's {@code message.max.bytes} must
   *     not be smaller
   */
  public static TopicSpec snapshots(int partitions, int maxMessageBytes) {
    if (maxMessageBytes < 1024 * 1024) {
      throw new IllegalArgumentException(
          "snapshot max.message.bytes below 1 MiB cannot hold a model, was " + maxMessageBytes);
    }
    return new TopicSpec(
        SNAPSHOTS,
        partitions,
        Map.of(
            CLEANUP_POLICY,
            "compact",
            MAX_MESSAGE_BYTES,
            Integer.toString(maxMessageBytes),
            // Compact soon: only the newest snapshot per model matters.
            "min.compaction.lag.ms",
            "60000",
            // The active segment is never compacted; roll it so big snapshots get reclaimed
            // within minutes rather than after 1 GiB.
            "segment.ms",
            "600000"));
  }

  /**
   * Every topic of the pipeline for the given tasks, with default sizes: events with {@code
   * eventPartitions} partitions, one partition for the others.
   */
  public static List<TopicSpec> standard(Collection<String> tasks, int eventPartitions) {
    List<TopicSpec> all = new ArrayList<>();
    for (String task : tasks) {
      all.add(events(task, eventPartitions));
    }
    all.add(deadLetter(1));
    all.add(metrics(1, DEFAULT_METRICS_RETENTION));
    all.add(snapshots(1, DEFAULT_SNAPSHOT_MAX_BYTES));
    return List.copyOf(all);
  }
}
