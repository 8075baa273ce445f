package io.mtlstream.observe;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mtlstream.event.EventEncoder;
import io.mtlstream.event.LabeledEvent;
import io.mtlstream.event.TopicTasks;
import io.mtlstream.runtime.MetricsEndpoint;
import io.mtlstream.stream.LearnerTopology;
import io.mtlstream.stream.QualitySettings;
import io.mtlstream.stream.Schemas;
import io.mtlstream.stream.StreamSettings;
import io.mtlstream.train.Activation;
import io.mtlstream.train.LearnerSettings;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.TaskSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learner's meters as Prometheus renders them, after a few steps in a {@link
 * TopologyTestDriver}: every key meter is there under its documented name, with bounded tags and a
 * description, no unit is repeated, and a closed processor leaves no per-model series behind.
 */
class LearnerMetersTest {

  /** Own state dir: the default one is shared by every run of this application id. */
  @TempDir Path stateDir;

  private static final ModelSpec MODEL =
      new ModelSpec(
          4,
          new int[] {8},
          Activation.RELU,
          List.of(
              TaskSpec.regression("reg", 1),
              TaskSpec.binary("bin"),
              TaskSpec.multiclass("cls", 3)));
  private static final List<String> TASKS = List.of("reg", "bin", "cls");

  @Test
  void shouldRenderEveryLearnerMeterUnderItsPrometheusName() {
    PrometheusMeterRegistry registry = MetricsEndpoint.newRegistry();
    String text;
    try (TopologyTestDriver driver =
        new TopologyTestDriver(LearnerTopology.build(settings(registry)), props())) {
      // Batch 12: 40 steps, a report every 2, a snapshot every 4. GradNorm leaves warm-up once
      // every task has seen 100 labels (its constant-predictor references), here after step 25.
      feed(driver, 480);
      driver
          .createInputTopic("mtl.events.bin", new ByteArraySerializer(), new ByteArraySerializer())
          .pipeInput(null, "{\"features\":[1,2".getBytes(UTF_8), 5L);
      text = registry.scrape();
    }

    assertThat(sample(text, "mtl_train_steps_total{model=\"default\"}")).isEqualTo(40);
    for (String task : TASKS) {
      String t = "{model=\"default\",task=\"" + task + "\"}";
      assertThat(sample(text, "mtl_train_events_total" + t)).isEqualTo(160);
      assertThat(sample(text, "mtl_task_weight" + t)).isPositive();
      for (String name :
          List.of(
              "mtl_task_loss",
              "mtl_task_reference_loss",
              "mtl_task_grad_norm",
              "mtl_task_weighted_norm",
              "mtl_task_target_norm",
              "mtl_task_inverse_rate",
              "mtl_prequential_loss")) {
        assertThat(sample(text, name + t)).as(name + t).isFinite();
      }
    }
    assertThat(sample(text, "mtl_prequential_absolute_error{model=\"default\",task=\"reg\"}"))
        .isFinite();
    assertThat(sample(text, "mtl_prequential_accuracy_ratio{model=\"default\",task=\"cls\"}"))
        .isBetween(0.0, 1.0);
    assertThat(sample(text, "mtl_prequential_auc_ratio{model=\"default\",task=\"bin\"}"))
        .isBetween(0.0, 1.0);
    assertThat(text).doesNotContain("mtl_prequential_auc_ratio{model=\"default\",task=\"reg\"}");
    assertThat(sample(text, "mtl_gradnorm_loss{model=\"default\"}")).isFinite();
    assertThat(sample(text, "mtl_train_step_seconds_count{model=\"default\"}")).isEqualTo(40);
    assertThat(text).contains("mtl_train_step_seconds_bucket{model=\"default\",le=");
    assertThat(
            sample(
                text,
                "mtl_train_steps_rejected_total{model=\"default\",reason=\"non_finite_loss\"}"))
        .isZero();

    assertThat(sample(text, "mtl_events_accepted_total")).isEqualTo(480);
    assertThat(sample(text, "mtl_events_rejected_total{reason=\"malformed_json\"}")).isEqualTo(1);
    assertThat(sample(text, "mtl_snapshots_published_total{model=\"default\"}")).isEqualTo(10);
    assertThat(sample(text, "mtl_snapshots_held_total{model=\"default\",reason=\"regressed\"}"))
        .isZero();
    assertThat(sample(text, "mtl_snapshots_forced_total{model=\"default\"}")).isZero();
    assertThat(sample(text, "mtl_snapshot_size_bytes_count{model=\"default\"}")).isEqualTo(10);
    assertThat(sample(text, "mtl_snapshot_encode_seconds_count{model=\"default\"}")).isEqualTo(10);
    // Freshness: one sample per event in a published snapshot (the last, at step 40: all 480).
    assertThat(sample(text, "mtl_snapshot_freshness_seconds_count{model=\"default\"}"))
        .isEqualTo(480);

    assertThat(families(text)).allSatisfy(LearnerMetersTest::assertReadsWell);
    assertThat(text).doesNotContainPattern("# HELP mtl_\\w+ \\n");
  }

  @Test
  void shouldRemoveAModelsSeriesWhenItsProcessorCloses() {
    PrometheusMeterRegistry registry = MetricsEndpoint.newRegistry();
    try (TopologyTestDriver driver =
        new TopologyTestDriver(LearnerTopology.build(settings(registry)), props())) {
      feed(driver, 24);
      assertThat(registry.scrape()).contains("mtl_task_weight{");
    }
    String after = registry.scrape();
    assertThat(after).doesNotContain("mtl_task_weight{").doesNotContain("mtl_train_steps_total{");
    assertThat(after).contains("mtl_events_accepted_total"); // input counters are not per model
  }

  @Test
  void shouldKeepMicrometerNamesForMetersOutsideTheMtlNamespace() {
    PrometheusMeterRegistry registry = MetricsEndpoint.newRegistry();
    Counter.builder("other.calls").baseUnit("requests").register(registry).increment();
    Counter.builder("mtl.events.demo").baseUnit("events").register(registry).increment();
    assertThat(registry.scrape())
        .contains("other_calls_requests_total 1.0")
        .contains("mtl_events_demo_total 1.0");
  }

  /** A metric family name without repeated words (units named twice) or a doubled suffix. */
  private static void assertReadsWell(String family) {
    List<String> words = Arrays.asList(family.split("_"));
    for (int i = 1; i < words.size(); i++) {
      assertThat(words.get(i)).as(family).isNotEqualTo(words.get(i - 1));
    }
    assertThat(family).as(family).doesNotContain("_total_").doesNotEndWith("_total_total");
  }

  private static List<String> families(String text) {
    return text.lines().filter(l -> l.startsWith("# TYPE mtl_")).map(l -> l.split(" ")[2]).toList();
  }

  private static double sample(String text, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
    assertThat(m.find()).as("series %s in%n%s", series, text).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static void feed(TopologyTestDriver driver, int events) {
    SplittableRandom random = new SplittableRandom(1);
    EventEncoder encoder = new EventEncoder();
    for (int i = 0; i < events; i++) {
      String task = TASKS.get(i % TASKS.size());
      TestInputTopic<byte[], byte[]> in =
          driver.createInputTopic(
              "mtl.events." + task, new ByteArraySerializer(), new ByteArraySerializer());
      float[] x = new float[MODEL.inputs()];
      for (int k = 0; k < x.length; k++) {
        x[k] = (float) random.nextGaussian();
      }
      float label =
          switch (task) {
            case "reg" -> x[0] * 2 - x[1];
            case "bin" -> x[2] > 0 ? 1 : 0;
            default -> x[3] > 0.5 ? 2 : x[3] < -0.5 ? 0 : 1;
          };
      long ts = System.currentTimeMillis();
      LabeledEvent e = new LabeledEvent("e-" + i, "default", task, x, new float[] {label}, ts);
      in.pipeInput(null, encoder.encode(e, false), ts);
    }
  }

  private static StreamSettings settings(PrometheusMeterRegistry registry) {
    return new StreamSettings(
        Schemas.eventSchema(MODEL, Set.of(), 1 << 16),
        TopicTasks.defaults(TASKS),
        LearnerSettings.defaults(MODEL),
        12,
        2,
        4,
        0,
        3,
        "mtl.dlq",
        "mtl.metrics",
        "mtl.snapshots",
        Clock.systemUTC(),
        registry,
        new QualitySettings(2_000, 2_000, -1, 5)); // gate off: every due snapshot goes out
  }

  private Properties props() {
    Properties p = new Properties();
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "mtl-observe-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    return p;
  }
}
