package io.mtlstream.stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mtlstream.metrics.TrainingReport;
import io.mtlstream.metrics.TrainingReportCodec;
import io.mtlstream.snapshot.Snapshot;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Direct input ({@code mtl.input.partitioned.by.model}): the learner reads the input topics without
 * the by-model repartition. The test driver reads every topic as partition 0.
 */
class DirectInputTopologyTest {

  @TempDir Path stateDir;

  private Properties props(String app) {
    Properties p = new Properties();
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve(app).toString());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    return p;
  }

  @Test
  void shouldTrainTheSameModelAsTheRepartitionedTopologyInOneSubTopology() {
    StreamSettings repartitioned = TestStreams.settings(12, 2, 4, 3);
    StreamSettings direct = repartitioned.withDirectInput(1);
    Topology directTopology = LearnerTopology.build(direct);
    assertThat(directTopology.describe().subtopologies()).hasSize(1);
    assertThat(directTopology.describe().toString()).doesNotContain("repartition");
    assertThat(LearnerTopology.build(repartitioned).describe().subtopologies()).hasSize(2);

    int[] viaRepartition = trainedBits(repartitioned, "mtl-repartitioned");
    int[] viaDirect = trainedBits(direct, "mtl-direct");
    assertThat(viaDirect).isEqualTo(viaRepartition);
  }

  /** The parameters of the last snapshot after 120 events, three tasks in turn. */
  private int[] trainedBits(StreamSettings settings, String app) {
    try (TopologyTestDriver driver =
        new TopologyTestDriver(LearnerTopology.build(settings), props(app))) {
      Map<String, TestInputTopic<byte[], byte[]>> in = LearnerTopologyTest.inputs(driver);
      SplittableRandom random = new SplittableRandom(7);
      String[] tasks = {"reg", "bin", "cls"};
      for (int i = 0; i < 120; i++) {
        String task = tasks[i % 3];
        in.get(task)
            .pipeInput(null, TestStreams.event(random, "default", task, 1000L + i), 1000L + i);
      }
      Snapshot last = TestStreams.lastSnapshot(driver, settings); // drains the output topic
      assertThat(last.manifest().step()).isEqualTo(8);
      return TestStreams.bits(last.parameters());
    }
  }

  @Test
  void shouldDeadLetterEventsOfAModelOwnedByAnotherPartitionAndNeverStartItsLearner() {
    String here = modelOn(0, 2);
    String elsewhere = modelOn(1, 2);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    StreamSettings settings = TestStreams.settings(12, 2, 0, 3, meters).withDirectInput(2);
    try (TopologyTestDriver driver =
        new TopologyTestDriver(LearnerTopology.build(settings), props("mtl-direct-2"))) {
      Map<String, TestInputTopic<byte[], byte[]>> in = LearnerTopologyTest.inputs(driver);
      SplittableRandom random = new SplittableRandom(3);
      for (int i = 0; i < 72; i++) {
        in.get("reg").pipeInput(null, TestStreams.event(random, here, "reg", 10L + i), 10L + i);
        if (i % 3 == 0) {
          in.get("bin")
              .pipeInput(null, TestStreams.event(random, elsewhere, "bin", 10L + i), 10L + i);
        }
      }
      // Rejected for another reason, and naming the other partition's model: dead-lettered, but
      // its rejection notice must not start a learner for that model here either.
      String badLabel = "{\"model\":\"" + elsewhere + "\",\"features\":[1,2,3,4],\"label\":2}";
      in.get("bin").pipeInput(null, badLabel.getBytes(UTF_8), 90L);

      List<TestRecord<byte[], byte[]>> dead = TestStreams.deadLetters(driver, settings);
      assertThat(dead).hasSize(25);
      List<String> reasons =
          dead.stream().map(d -> TestStreams.header(d, DeadLetterHeaders.REASON)).toList();
      assertThat(reasons.subList(0, 24)).containsOnly("wrong_partition");
      assertThat(reasons.get(24)).isEqualTo("invalid_label");
      assertThat(TestStreams.header(dead.get(0), DeadLetterHeaders.MESSAGE))
          .contains("'" + elsewhere + "'", "partition 1", "not 0");
      assertThat(meters.counter("mtl.events.rejected", "reason", "wrong_partition").count())
          .isEqualTo(24.0);

      List<TestRecord<String, byte[]>> reports =
          LearnerTopologyTest.output(driver, settings.metricsTopic());
      assertThat(reports).extracting(TestRecord::key).containsOnly(here);
      TrainingReport last = TrainingReportCodec.decode(reports.get(reports.size() - 1).value());
      assertThat(last.step()).isEqualTo(6);
      assertThat(last.events()).containsEntry("reg", 72L);
      assertThat(last.rejected()).doesNotContainKey("wrong_partition");
    }
  }

  /** A model id that Kafka's default partitioner puts on {@code partition} of {@code count}. */
  private static String modelOn(int partition, int count) {
    return IntStream.range(0, 1000)
        .mapToObj(i -> "m" + i)
        .filter(m -> ModelPartitions.of(m, count) == partition)
        .findFirst()
        .orElseThrow();
  }
}
