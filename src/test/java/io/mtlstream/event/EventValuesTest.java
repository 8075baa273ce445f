package io.mtlstream.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventValuesTest {

  @Test
  void shouldValidateTaskSchemaPerKind() {
    assertThat(TaskSchema.regression("price", 3).labelWidth()).isEqualTo(3);
    assertThat(TaskSchema.multiclass("cls", 5))
        .isEqualTo(new TaskSchema("cls", LabelKind.MULTICLASS, 1, 5));
    assertThatThrownBy(() -> TaskSchema.regression("price", 0))
        .hasMessage("task 'price': regression needs labelWidth >= 1, got 0");
    assertThatThrownBy(() -> new TaskSchema("click", LabelKind.BINARY, 2, 0))
        .hasMessage("task 'click': binary has labelWidth 1, got 2");
    assertThatThrownBy(() -> TaskSchema.multiclass("cls", 1))
        .hasMessageContaining("multiclass needs 2..16777216 classes, got 1");
    assertThatThrownBy(() -> TaskSchema.binary("no spaces"))
        .hasMessageContaining("must be 1-64 letters");
  }

  @Test
  void shouldBuildEventSchemaWithDefaultsAndCopiedCollections() {
    Map<String, TaskSchema> tasks = new LinkedHashMap<>();
    tasks.put("b", TaskSchema.binary("b"));
    tasks.put("a", TaskSchema.regression("a", 2));
    EventSchema schema = new EventSchema(4, tasks, java.util.Set.of(), 1 << 20);
    tasks.clear();

    assertThat(schema.tasks().keySet()).containsExactly("b", "a");
    assertThat(schema.allowsModel("anything")).isTrue();
    assertThat(schema.allowsModel("")).isFalse();
    assertThat(EventSchema.of(4, TaskSchema.binary("b")).maxRecordBytes())
        .isEqualTo(EventSchema.DEFAULT_MAX_RECORD_BYTES)
        .isEqualTo(1 << 20);
  }

  @Test
  void shouldExplainInvalidEventSchemas() {
    assertThatThrownBy(() -> EventSchema.builder().addTask(TaskSchema.binary("b")).build())
        .hasMessageContaining("setFeatures(n) is required");
    assertThatThrownBy(() -> EventSchema.builder().setFeatures(3).build())
        .hasMessageContaining("at least one task is required");
    assertThatThrownBy(
            () ->
                EventSchema.builder()
                    .setFeatures(3)
                    .setTasks(List.of(TaskSchema.binary("b"), TaskSchema.regression("b", 1))))
        .hasMessage("duplicate task name 'b'");
    assertThatThrownBy(
            () -> new EventSchema(3, Map.of("x", TaskSchema.binary("b")), java.util.Set.of(), 100))
        .hasMessageContaining("must equal its task's name");
  }

  @Test
  void shouldCopyEventArraysInAndOut() {
    float[] features = {1, 2};
    float[] label = {0.5f};
    var e = new LabeledEvent(null, "m", "t", features, label, 0);
    features[0] = 99;
    e.features()[1] = 99;
    float[] row = new float[4];
    e.copyFeaturesInto(row, 1);

    assertThat(e.features()).containsExactly(1, 2);
    assertThat(row).containsExactly(0, 1, 2, 0);
    assertThat(e)
        .isEqualTo(new LabeledEvent(null, "m", "t", new float[] {1, 2}, new float[] {0.5f}, 0));
  }

  @Test
  void shouldRefuseNonFiniteOrEmptyEventValues() {
    assertThatThrownBy(
            () -> new LabeledEvent(null, "m", "t", new float[] {1, Float.NaN}, new float[] {1}, 0))
        .hasMessage("features[1] is NaN");
    assertThatThrownBy(() -> new LabeledEvent(null, "m", "t", new float[] {1}, new float[0], 0))
        .hasMessage("label must not be empty");
    assertThatThrownBy(() -> new LabeledEvent(null, "", "t", new float[] {1}, new float[] {1}, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldKeepRejectCodesStableLowercaseAndDescribed() {
    assertThat(Arrays.stream(RejectReason.values()).map(RejectReason::code))
        .containsExactly(
            "oversized",
            "malformed_json",
            "malformed_binary",
            "unknown_task",
            "task_mismatch",
            "unknown_model",
            "missing_features",
            "wrong_feature_count",
            "non_finite_feature",
            "missing_label",
            "invalid_label",
            "wrong_partition");
    for (RejectReason r : RejectReason.values()) {
      assertThat(r.description()).isNotBlank().doesNotContain("\n");
      assertThat(RejectReason.fromCode(r.code())).isSameAs(r);
    }
  }
}
