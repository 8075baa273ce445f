package io.mtlstream.stream;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Which input partition owns a model when the input is read directly: the partition Kafka's default
 * partitioner picks for the UTF-8 model id as key (murmur2, as producers and the by-model
 * repartition both use), so direct and repartitioned input put a model on the same partition. Zero
 * partitions means the input is repartitioned and every task owns every model that reaches it.
 * Nothing is cached: model ids come from the input, so a cache would grow with whatever ids a bad
 * producer sends, and murmur2 of a short id costs less than the decode before it. Immutable.
 */
final class ModelPartitions {

  private final int partitions;

  ModelPartitions(int partitions) {
    if (partitions < 0) {
      throw new IllegalArgumentException("partitions must be >= 0, got " + partitions);
    }
    this.partitions = partitions;
  }

  /** Whether records of {@code model} read from {@code partition} belong to this stream task. */
  boolean owns(String model, int partition) {
    return partitions <= 1 || partitionOf(model) == partition;
  }

  /** The partition of {@code model}'s events; 0 when there is at most one partition. */
  int partitionOf(String model) {
    if (partitions <= 1) {
      return 0;
    }
    return of(model, partitions);
  }

  /** Kafka's default partitioner for a keyed record. */
  static int of(String model, int partitions) {
    return Utils.toPositive(Utils.murmur2(model.getBytes(StandardCharsets.UTF_8))) % partitions;
  }
}
