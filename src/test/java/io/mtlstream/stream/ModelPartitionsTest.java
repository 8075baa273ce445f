package io.mtlstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class ModelPartitionsTest {

  @Test
  void shouldPlaceEachModelWhereTheProducersDefaultPartitionerPutsItsKey() {
    for (int partitions : new int[] {2, 3, 7, 12}) {
      ModelPartitions ownership = new ModelPartitions(partitions);
      for (int i = 0; i < 500; i++) {
        String model = "model-" + i;
        int expected =
            BuiltInPartitioner.partitionForKey(model.getBytes(StandardCharsets.UTF_8), partitions);
        assertThat(ownership.partitionOf(model))
            .as("%s of %d", model, partitions)
            .isEqualTo(expected);
        assertThat(ownership.owns(model, expected)).isTrue();
        assertThat(ownership.owns(model, (expected + 1) % partitions)).isFalse();
      }
    }
  }

  @Test
  void shouldOwnEveryModelWithOnePartitionOrWhenRepartitioned() {
    for (int partitions : new int[] {0, 1}) {
      ModelPartitions ownership = new ModelPartitions(partitions);
      assertThat(ownership.owns("any", 0)).isTrue();
      assertThat(ownership.partitionOf("any")).isZero();
    }
    // Repartitioned input: whatever partition the record came from, the task owns its models.
    assertThat(new ModelPartitions(0).owns("any", 5)).isTrue();
  }
}
