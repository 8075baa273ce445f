package io.mtlstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicChecksTest {

  private static final TopicSpec SNAPSHOTS = TopicSpec.snapshots(1, 64 * 1024 * 1024);

  @Test
  void shouldAcceptACompactedTopicWithLargerMessages() {
    Map<String, String> actual =
        Map.of("cleanup.policy", "compact", "max.message.bytes", "104857600");

    assertThat(TopicChecks.problems(SNAPSHOTS, 1, actual)).isEmpty();
  }

  @Test
  void shouldNameTopicConfigExpectedAndActualForEveryProblem() {
    Map<String, String> actual = Map.of("cleanup.policy", "delete", "max.message.bytes", "1048588");

    assertThat(TopicChecks.problems(SNAPSHOTS, 1, actual))
        .containsExactly(
            "topic mtl.snapshots: cleanup.policy is 'delete', expected 'compact'. Fix:"
                + " kafka-configs.sh --bootstrap-server <servers> --alter --entity-type topics"
                + " --entity-name mtl.snapshots --add-config cleanup.policy=compact"
                + " (or delete the topic so that it is re-created)",
            "topic mtl.snapshots: max.message.bytes is '1048588', expected at least 67108864."
                + " Fix: kafka-configs.sh --bootstrap-server <servers> --alter --entity-type topics"
                + " --entity-name mtl.snapshots --add-config max.message.bytes=67108864"
                + " (or delete the topic so that it is re-created)");
  }

  @Test
  void shouldRejectCompactAndDeleteForSnapshotsButIgnoreOrderAndSpaces() {
    Map<String, String> both =
        Map.of("cleanup.policy", "compact,delete", "max.message.bytes", "67108864");
    TopicSpec compactDelete = new TopicSpec("t", 1, Map.of("cleanup.policy", "delete, compact"));

    assertThat(TopicChecks.problems(TopicSpec.snapshots(1, 1 << 20), 1, both))
        .singleElement()
        .asString()
        .contains("cleanup.policy is 'compact,delete'");
    assertThat(TopicChecks.problems(compactDelete, 1, both)).isEmpty();
  }

  @Test
  void shouldRejectACompactedEventTopicBecauseCompactionDropsEvents() {
    assertThat(
            TopicChecks.problems(TopicSpec.events("a", 1), 3, Map.of("cleanup.policy", "compact")))
        .singleElement()
        .asString()
        .startsWith("topic mtl.events.a: cleanup.policy is 'compact', expected 'delete'");
  }

  @Test
  void shouldTolerateFewerPartitionsAndUncheckedConfigs() {
    Map<String, String> actual = Map.of("cleanup.policy", "delete", "retention.ms", "1");

    assertThat(TopicChecks.problems(TopicSpec.events("a", 8), 1, actual)).isEmpty();
  }
}
