package io.mtlstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicSpecTest {

  @Test
  void shouldNameTheProjectTopics() {
    assertThat(TopicSpec.standard(List.of("ctr", "rating"), 3))
        .extracting(TopicSpec::name)
        .containsExactly(
            "mtl.events.ctr", "mtl.events.rating", "mtl.dlq", "mtl.metrics", "mtl.snapshots");
  }

  @Test
  void shouldCompactSnapshotsWithTheGivenMessageSize() {
    TopicSpec spec = TopicSpec.snapshots(2, 32 * 1024 * 1024);

    assertThat(spec.partitions()).isEqualTo(2);
    assertThat(spec.configs())
        .containsEntry("cleanup.policy", "compact")
        .containsEntry("max.message.bytes", "33554432");
  }

  @Test
  void shouldKeepMetricsForTheGivenRetention() {
    assertThat(TopicSpec.metrics(1, Duration.ofDays(7)).configs())
        .containsEntry("cleanup.policy", "delete")
        .containsEntry("retention.ms", "604800000");
  }

  @Test
  void shouldRejectIllegalNamesAndSizesWithTheReason() {
    assertThatThrownBy(() -> TopicSpec.events("a/b", 1)).hasMessageContaining("Illegal topic name");
    assertThatThrownBy(() -> TopicSpec.events("a", 0)).hasMessageContaining("at least 1 partition");
    assertThatThrownBy(() -> TopicSpec.snapshots(1, 1000)).hasMessageContaining("below 1 MiB");
    assertThatThrownBy(() -> TopicSpec.metrics(1, Duration.ZERO)).hasMessageContaining("positive");
  }

  @Test
  void shouldCopyConfigsDefensively() {
    Map<String, String> configs = new HashMap<>(Map.of("cleanup.policy", "delete"));
    TopicSpec spec = new TopicSpec("t", 1, configs);
    configs.put("cleanup.policy", "compact");

    assertThat(spec.configs()).containsEntry("cleanup.policy", "delete");
  }
}
