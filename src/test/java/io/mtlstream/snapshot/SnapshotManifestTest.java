package io.mtlstream.snapshot;

import static io.mtlstream.snapshot.SnapshotFixtures.SMALL;
import static io.mtlstream.snapshot.SnapshotFixtures.manifest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotManifestTest {

  private final SnapshotManifest valid = manifest(SMALL);

  @Test
  void shouldDeriveTasksAndParameterCountFromTheModel() {
    assertThat(valid.tasks()).containsExactly("ctr.value", "click", "category");
    assertThat(valid.parameterCount()).isEqualTo(SnapshotFixtures.parameterCount(SMALL));
    assertThat(valid.formatVersion()).isEqualTo(SnapshotCodec.FORMAT_VERSION);
    assertThat(valid.taskWeights().keySet()).containsExactlyElementsOf(valid.tasks());
  }

  @Test
  void shouldOrderPerTaskMapsByTaskIndexAndOffsetsByTopicThenPartition() {
    var weights = new HashMap<String, Double>(Map.of("category", 1.0, "click", 2.0));
    weights.put("ctr.value", 3.0);
    var offsets = Map.of("b-10", 1L, "b-2", 2L, "a-1", 3L);

    SnapshotManifest m = with(weights, offsets, valid.parameterCount());

    assertThat(m.taskWeights().keySet()).containsExactly("ctr.value", "click", "category");
    assertThat(m.inputOffsets().keySet()).containsExactly("a-1", "b-2", "b-10");
  }

  @Test
  void shouldCopyMapsDefensively() {
    var weights = new LinkedHashMap<>(valid.taskWeights());
    SnapshotManifest m = with(weights, Map.of(), valid.parameterCount());
    weights.put("click", 99.0);

    assertThat(m.taskWeights().get("click")).isEqualTo(valid.taskWeights().get("click"));
    assertThatThrownBy(() -> m.taskWeights().put("click", 1.0))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void shouldRejectWeightsThatDoNotCoverExactlyTheTasks() {
    assertThatThrownBy(() -> with(Map.of("click", 1.0), Map.of(), valid.parameterCount()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "taskWeights must have exactly the tasks [ctr.value, click, category]");
  }

  @Test
  void shouldRejectNonFiniteOrNegativeWeights() {
    var nan = new LinkedHashMap<>(valid.taskWeights());
    nan.put("click", Double.NaN);
    var negative = new LinkedHashMap<>(valid.taskWeights());
    negative.put("click", -0.5);

    assertThatThrownBy(() -> with(nan, Map.of(), valid.parameterCount()))
        .hasMessageContaining("weight of 'click' is NaN");
    assertThatThrownBy(() -> with(negative, Map.of(), valid.parameterCount()))
        .hasMessageContaining("weight of 'click' is -0.5");
  }

  @Test
  void shouldRejectOffsetKeysThatAreNotTopicPartition() {
    assertThatThrownBy(
            () -> with(valid.taskWeights(), Map.of("events", 3L), valid.parameterCount()))
        .hasMessageContaining("inputOffsets key 'events' is not 'topic-partition'");
    assertThatThrownBy(
            () -> with(valid.taskWeights(), Map.of("events-0", -1L), valid.parameterCount()))
        .hasMessageContaining("inputOffsets of 'events-0' is -1");
  }

  @Test
  void shouldRejectAParameterCountThatDoesNotFitTheModel() {
    assertThatThrownBy(() -> with(valid.taskWeights(), Map.of(), valid.parameterCount() + 1))
        .hasMessageContaining("does not fit the model, which has " + valid.parameterCount());
  }

  @Test
  void shouldNameTheMissingFieldWhenBuilding() {
    assertThatThrownBy(
            () ->
                SnapshotManifest.builder()
                    .setModelId("m")
                    .setModel(SMALL)
                    .setBalancer("equal")
                    .setStep(0)
                    .setCreatedAtMillis(0)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("setTaskWeights is required");
  }

  private SnapshotManifest with(
      Map<String, Double> weights, Map<String, Long> offsets, int parameterCount) {
    return new SnapshotManifest(
        valid.formatVersion(),
        valid.modelId(),
        valid.model(),
        List.copyOf(valid.tasks()),
        weights,
        valid.step(),
        valid.trainedEvents(),
        offsets,
        valid.createdAtMillis(),
        valid.newestEventTimestamp(),
        parameterCount,
        valid.balancer());
  }
}
