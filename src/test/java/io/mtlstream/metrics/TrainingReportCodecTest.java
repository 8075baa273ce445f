package io.mtlstream.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingReportCodecTest {

  private static final List<String> TASKS = List.of("rating", "click", "category");

  @Test
  void shouldRoundTripAReport() {
    TrainingReport report = report(new double[] {0.25, 1.5, 1.25}, 0.125);

    assertThat(TrainingReportCodec.decode(TrainingReportCodec.encode(report))).isEqualTo(report);
  }

  @Test
  void shouldWriteNonFiniteNumbersAsJsonNullAndReadThemAsNaN() throws Exception {
    TrainingReport report =
        report(new double[] {Double.NaN, Double.POSITIVE_INFINITY, 0.5}, Double.NaN);

    byte[] bytes = TrainingReportCodec.encode(report);
    String json = new String(bytes, StandardCharsets.UTF_8);
    JsonNode tree = new ObjectMapper().readTree(bytes);
    TrainingReport decoded = TrainingReportCodec.decode(bytes);

    assertThat(json).doesNotContain("NaN").doesNotContain("Infinity");
    assertThat(tree.at("/losses/rating").isNull()).isTrue();
    assertThat(tree.at("/losses/click").isNull()).isTrue();
    assertThat(tree.get("gradLoss").isNull()).isTrue();
    assertThat(decoded.losses().get("rating")).isNaN();
    assertThat(decoded.losses().get("click")).isNaN(); // infinity is not kept apart from NaN
    assertThat(decoded.losses().get("category")).isEqualTo(0.5);
    assertThat(decoded.gradLoss()).isNaN();
  }

  @Test
  void shouldWriteTasksInTaskOrderAndReasonsSorted() {
    var unordered = new LinkedHashMap<String, Double>();
    unordered.put("category", 3.0);
    unordered.put("click", 2.0);
    unordered.put("rating", 1.0);
    TrainingReport base = report(new double[] {1, 1, 1}, 0);
    TrainingReport report =
        new TrainingReport(
            base.model(),
            base.step(),
            base.events(),
            unordered,
            base.losses(),
            base.gradNorms(),
            base.inverseRates(),
            base.references(),
            base.targets(),
            base.gradLoss(),
            base.stepsPerSecond(),
            base.eventsPerSecond(),
            Map.of("non_finite_loss", 1L, "bad_label", 7L),
            base.ts());

    String json = new String(TrainingReportCodec.encode(report), StandardCharsets.UTF_8);

    assertThat(json)
        .contains("\"weights\":{\"rating\":1.0,\"click\":2.0,\"category\":3.0}")
        .contains("\"rejected\":{\"bad_label\":7,\"non_finite_loss\":1}")
        .startsWith("{\"model\":\"default\",\"step\":42,\"events\":{\"rating\":100,");
  }

  @Test
  void shouldRejectPerTaskMapsWithOtherTasks() {
    TrainingReport base = report(new double[] {1, 1, 1}, 0);

    assertThatThrownBy(
            () ->
                new TrainingReport(
                    base.model(),
                    base.step(),
                    base.events(),
                    Map.of("click", 1.0),
                    base.losses(),
                    base.gradNorms(),
                    base.inverseRates(),
                    base.references(),
                    base.targets(),
                    0,
                    0,
                    0,
                    Map.of(),
                    0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("weights must have exactly the tasks [rating, click, category]");
  }

  @Test
  void shouldNameTheFieldOfAnInvalidReport() {
    byte[] noModel = "{\"step\":1}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> TrainingReportCodec.decode(noModel))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid training report: field 'model' is missing");
  }

  private static TrainingReport report(double[] losses, double gradLoss) {
    double[] ones = {1.0, 1.0, 1.0};
    return new TrainingReport(
        "default",
        42,
        TrainingReport.byTask(TASKS, new long[] {100, 200, 300}),
        TrainingReport.byTask(TASKS, new double[] {0.9, 1.2, 0.9}),
        TrainingReport.byTask(TASKS, losses),
        TrainingReport.byTask(TASKS, new double[] {0.01, 0.02, 0.03}),
        TrainingReport.byTask(TASKS, ones),
        TrainingReport.byTask(TASKS, new double[] {0.7, 0.6, 1.1}),
        TrainingReport.byTask(TASKS, new double[] {0.02, 0.02, 0.02}),
        gradLoss,
        12.5,
        3200,
        Map.of("non_finite_loss", 2L, "missing_label", 5L),
        1_760_000_000_000L);
  }
}
