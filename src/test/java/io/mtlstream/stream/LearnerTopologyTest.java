package io.mtlstream.stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mtlstream.metrics.TrainingReport;
import io.mtlstream.metrics.TrainingReportCodec;
import io.mtlstream.snapshot.Snapshot;
import io.mtlstream.snapshot.SnapshotCodec;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LearnerTopologyTest {

  /** Own state dir: the default one is shared by every run of this application id. */
  @TempDir Path stateDir;

  private Properties props() {
    Properties p = new Properties();
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "mtl-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    return p;
  }

  @Test
  void shouldTrainEveryValidEventAndPublishReportsAndSnapshots() {
    StreamSettings settings = TestStreams.settings(12, 2, 4, 3);
    try (TopologyTestDriver driver =
        new TopologyTestDriver(LearnerTopology.build(settings), props())) {
      Map<String, TestInputTopic<byte[], byte[]>> in = inputs(driver);
      SplittableRandom random = new SplittableRandom(1);
      String[] tasks = {"reg", "bin", "cls"};
      for (int i = 0; i < 120; i++) {
        String task = tasks[i % 3];
        in.get(task)
            .pipeInput(null, TestStreams.event(random, "default", task, 1000L + i), 1000L + i);
      }
      List<TestRecord<String, byte[]>> reports = output(driver, settings.metricsTopic());
      List<TestRecord<String, byte[]>> snapshots = output(driver, settings.snapshotsTopic());

      assertThat(reports).hasSize(5); // 120 events / 12 = 10 steps, a report every 2
      TrainingReport last = TrainingReportCodec.decode(reports.get(4).value());
      assertThat(last.model()).isEqualTo("default");
      assertThat(last.step()).isEqualTo(10);
      assertThat(last.events())
          .containsEntry("reg", 40L)
          .containsEntry("bin", 40L)
          .containsEntry("cls", 40L);
      assertThat(last.weights().values().stream().mapToDouble(Double::doubleValue).sum())
          .isCloseTo(3.0, org.assertj.core.api.Assertions.within(1e-9));
      assertThat(snapshots).hasSize(2); // steps 4 and 8
      Snapshot snap = SnapshotCodec.decode(snapshots.get(1).value());
      assertThat(snapshots.get(1).key()).isEqualTo("default");
      assertThat(snap.manifest().step()).isEqualTo(8);
      assertThat(snap.manifest().newestEventTimestamp()).isEqualTo(1000L + 95);
      assertThat(snap.manifest().trainedEvents().values().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(96);
    }
  }

  @Test
  void shouldDeadLetterEachClassOfBadInputWithReasonAndKeepTraining() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    StreamSettings settings = TestStreams.settings(7, 1, 0, 100, meters); // 21 valid = 3 batches
    try (TopologyTestDriver driver =
        new TopologyTestDriver(LearnerTopology.build(settings), props())) {
      Map<String, TestInputTopic<byte[], byte[]>> in = inputs(driver);
      Map<String, byte[]> bad = new HashMap<>();
      bad.put("malformed_json", "{\"features\":[1,2".getBytes(UTF_8));
      bad.put("wrong_feature_count", "{\"features\":[1,2,3],\"label\":1}".getBytes(UTF_8));
      bad.put("non_finite_feature", "{\"features\":[1,NaN,3,4],\"label\":1}".getBytes(UTF_8));
      bad.put("missing_label", "{\"features\":[1,2,3,4]}".getBytes(UTF_8));
      bad.put("invalid_label", "{\"features\":[1,2,3,4],\"label\":2}".getBytes(UTF_8));
      bad.put(
          "task_mismatch", "{\"task\":\"reg\",\"features\":[1,2,3,4],\"label\":1}".getBytes(UTF_8));
      bad.put("oversized", ("{\"pad\":\"" + "x".repeat(1 << 16) + "\"}").getBytes(UTF_8));
      SplittableRandom random = new SplittableRandom(2);
      int valid = 0;
      for (var e : bad.entrySet()) {
        in.get("bin").pipeInput(e.getKey().getBytes(UTF_8), e.getValue(), 5L);
        for (int k = 0; k < 3; k++) {
          in.get("reg").pipeInput(null, TestStreams.event(random, "default", "reg", 6L), 6L);
          valid++;
        }
      }
      List<TestRecord<byte[], byte[]>> dead = TestStreams.deadLetters(driver, settings);
      assertThat(dead).hasSize(bad.size());
      for (TestRecord<byte[], byte[]> d : dead) {
        String expectedReason = new String(d.key(), UTF_8);
        assertThat(TestStreams.header(d, DeadLetterHeaders.REASON)).isEqualTo(expectedReason);
        assertThat(d.value()).isEqualTo(bad.get(expectedReason));
        assertThat(TestStreams.header(d, DeadLetterHeaders.SOURCE_TOPIC))
            .isEqualTo("mtl.events.bin");
        assertThat(TestStreams.header(d, DeadLetterHeaders.MESSAGE)).isNotBlank();
        assertThat(meters.counter("mtl.events.rejected", "reason", expectedReason).count())
            .isEqualTo(1.0);
      }
      List<TestRecord<String, byte[]>> reports = output(driver, settings.metricsTopic());
      TrainingReport last = TrainingReportCodec.decode(reports.get(reports.size() - 1).value());
      assertThat(last.events().get("reg")).isEqualTo(valid);
      assertThat(last.rejected())
          .hasSize(bad.size())
          .allSatisfy((k, v) -> assertThat(v).isEqualTo(1L));
    }
  }

  @Test
  void shouldDeadLetterUnknownTasksAndModelsFromTheMixedTopic() {
    StreamSettings base = TestStreams.settings(4, 1, 0, 100);
    StreamSettings settings =
        new StreamSettings(
            Schemas.eventSchema(TestStreams.MODEL, java.util.Set.of("default"), 1 << 16),
            io.mtlstream.event.TopicTasks.builder()
                .setTasks(List.of("reg", "bin", "cls"))
                .optMixedTopic("mtl.events.all")
                .build(),
            base.learner(),
            4,
            1,
            0,
            0,
            100,
            base.deadLetterTopic(),
            base.metricsTopic(),
            base.snapshotsTopic(),
            base.clock(),
            base.meters(),
            base.quality());
    try (TopologyTestDriver driver =
        new TopologyTestDriver(LearnerTopology.build(settings), props())) {
      TestInputTopic<byte[], byte[]> mixed =
          driver.createInputTopic(
              "mtl.events.all", new ByteArraySerializer(), new ByteArraySerializer());
      mixed.pipeInput(
          null, "{\"task\":\"nope\",\"features\":[1,2,3,4],\"label\":1}".getBytes(UTF_8), 1L);
      mixed.pipeInput(
          null,
          "{\"task\":\"bin\",\"model\":\"other\",\"features\":[1,2,3,4],\"label\":1}"
              .getBytes(UTF_8),
          2L);
      mixed.pipeInput(null, "{\"features\":[1,2,3,4],\"label\":1}".getBytes(UTF_8), 3L);
      for (int i = 0; i < 4; i++) {
        mixed.pipeInput(
            null,
            ("{\"task\":\"bin\",\"features\":[1,2,3," + i + "],\"label\":1}").getBytes(UTF_8),
            4L + i);
      }
      List<String> reasons =
          TestStreams.deadLetters(driver, settings).stream()
              .map(r -> TestStreams.header(r, DeadLetterHeaders.REASON))
              .toList();
      assertThat(reasons).containsExactly("unknown_task", "unknown_model", "unknown_task");
      List<TestRecord<String, byte[]>> reports = output(driver, settings.metricsTopic());
      TrainingReport last = TrainingReportCodec.decode(reports.get(reports.size() - 1).value());
      assertThat(last.step()).isEqualTo(1);
      assertThat(last.events().get("bin")).isEqualTo(4L);
      assertThat(last.rejected())
          .containsEntry("unknown_task", 2L)
          .containsEntry("unknown_model", 1L);
    }
  }

  @Test
  void shouldHoldBackASnapshotWhenPrequentialLossRegresses() {
    StreamSettings base = TestStreams.settings(12, 5, 5, 100);
    // judged once a task has 100 scored events
    StreamSettings settings = base.withQuality(new QualitySettings(100, 100, 0.10, 5));
    try (TopologyTestDriver driver =
        new TopologyTestDriver(LearnerTopology.build(settings), props())) {
      Map<String, TestInputTopic<byte[], byte[]>> in = inputs(driver);
      SplittableRandom random = new SplittableRandom(3);
      String[] tasks = {"reg", "bin", "cls"};
      long ts = 0;
      for (int i = 0; i < 12 * 40; i++) {
        String task = tasks[i % 3];
        in.get(task).pipeInput(null, TestStreams.event(random, "default", task, ts), ts++);
      }
      List<TestRecord<String, byte[]>> early = output(driver, settings.metricsTopic());
      TrainingReport beforeJump = TrainingReportCodec.decode(early.get(early.size() - 1).value());
      long published = beforeJump.snapshots().get("published");
      assertThat(output(driver, settings.snapshotsTopic())).hasSize((int) published);
      assertThat(published).isPositive();
      // The regression task's labels jump: its test-then-train loss explodes.
      for (int i = 0; i < 12 * 5; i++) {
        String task = tasks[i % 3];
        byte[] event =
            task.equals("reg")
                ? "{\"features\":[1,2,3,4],\"label\":500}".getBytes(UTF_8)
                : TestStreams.event(random, "default", task, ts);
        in.get(task).pipeInput(null, event, ts++);
      }
      assertThat(output(driver, settings.snapshotsTopic())).isEmpty();
      List<TestRecord<String, byte[]>> reports = output(driver, settings.metricsTopic());
      TrainingReport last = TrainingReportCodec.decode(reports.get(reports.size() - 1).value());
      assertThat(last.step()).isEqualTo(45);
      assertThat(last.snapshots()).containsEntry("published", published);
      assertThat(last.snapshots().get("held_back.regressed:reg")).isPositive();
      assertThat(last.prequential().get("reg").get("loss")).isGreaterThan(100.0);
      assertThat(last.prequential().get("bin").get("accuracy")).isBetween(0.0, 1.0);
    }
  }

  static Map<String, TestInputTopic<byte[], byte[]>> inputs(TopologyTestDriver driver) {
    Map<String, TestInputTopic<byte[], byte[]>> in = new HashMap<>();
    for (String task : List.of("reg", "bin", "cls")) {
      in.put(
          task,
          driver.createInputTopic(
              "mtl.events." + task, new ByteArraySerializer(), new ByteArraySerializer()));
    }
    return in;
  }

  static List<TestRecord<String, byte[]>> output(TopologyTestDriver driver, String topic) {
    TestOutputTopic<String, byte[]> out =
        driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer());
    return out.readRecordsToList();
  }
}
