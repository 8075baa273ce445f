package io.mtlstream.stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mtlstream.event.BinaryEventEncoder;
import io.mtlstream.event.EventEncoder;
import io.mtlstream.event.EventEncoding;
import io.mtlstream.event.LabeledEvent;
import io.mtlstream.event.TopicTasks;
import io.mtlstream.metrics.TrainingReport;
import io.mtlstream.metrics.TrainingReportCodec;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binary-encoded input topics, selected per topic, through the whole learner topology. */
class BinaryEventTopologyTest {

  /** Own state dir: the default one is shared by every run of this application id. */
  @TempDir Path stateDir;

  private static final BinaryEventEncoder BINARY = new BinaryEventEncoder();

  @Test
  void shouldTrainFromBinaryTopicsAndDeadLetterMalformedBinaryWithItsReason() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    StreamSettings settings = settings(meters); // reg, bin: binary; cls: auto
    try (TopologyTestDriver driver =
        new TopologyTestDriver(LearnerTopology.build(settings), props())) {
      Map<String, TestInputTopic<byte[], byte[]>> in = LearnerTopologyTest.inputs(driver);
      SplittableRandom random = new SplittableRandom(5);
      for (int i = 0; i < 60; i++) {
        String task = List.of("reg", "bin", "cls").get(i % 3);
        LabeledEvent e = event(random, task, 1000L + i);
        // On the auto topic, binary and JSON records interleave.
        byte[] value =
            task.equals("cls") && i % 2 == 0
                ? new EventEncoder().encode(e, false)
                : BINARY.encode(e, false);
        in.get(task).pipeInput(null, value, 1000L + i);
      }
      byte[] valid = BINARY.encode(event(random, "bin", 2000L), true);
      byte[] truncated = Arrays.copyOf(valid, valid.length - 3);
      byte[] json = new EventEncoder().encode(event(random, "bin", 2001L), false);
      in.get("bin").pipeInput("truncated".getBytes(UTF_8), truncated, 2000L);
      in.get("bin").pipeInput("json".getBytes(UTF_8), json, 2001L);

      List<TestRecord<byte[], byte[]>> dead = TestStreams.deadLetters(driver, settings);
      assertThat(dead).hasSize(2);
      assertThat(dead.get(0).value()).isEqualTo(truncated);
      assertThat(TestStreams.header(dead.get(0), DeadLetterHeaders.REASON))
          .isEqualTo("malformed_binary");
      assertThat(TestStreams.header(dead.get(0), DeadLetterHeaders.MESSAGE)).contains("truncated");
      assertThat(TestStreams.header(dead.get(0), DeadLetterHeaders.SOURCE_TOPIC))
          .isEqualTo("mtl.events.bin");
      assertThat(TestStreams.header(dead.get(1), DeadLetterHeaders.REASON))
          .isEqualTo("malformed_binary");
      assertThat(TestStreams.header(dead.get(1), DeadLetterHeaders.MESSAGE))
          .contains("JSON on a binary topic");
      assertThat(meters.counter("mtl.events.rejected", "reason", "malformed_binary").count())
          .isEqualTo(2.0);

      List<TestRecord<String, byte[]>> reports =
          LearnerTopologyTest.output(driver, settings.metricsTopic());
      TrainingReport last = TrainingReportCodec.decode(reports.get(reports.size() - 1).value());
      assertThat(last.step()).isEqualTo(5); // 60 events / 12
      assertThat(last.events())
          .containsEntry("reg", 20L)
          .containsEntry("bin", 20L)
          .containsEntry("cls", 20L);
    }
  }

  private static StreamSettings settings(SimpleMeterRegistry meters) {
    StreamSettings base = TestStreams.settings(12, 1, 0, 100, meters);
    TopicTasks topics =
        TopicTasks.builder()
            .setTasks(List.of("reg", "bin", "cls"))
            .optEncoding(EventEncoding.BINARY)
            .optTaskEncoding("cls", EventEncoding.AUTO)
            .build();
    return base.withTopics(topics);
  }

  private static LabeledEvent event(SplittableRandom random, String task, long ts) {
    float[] x = new float[TestStreams.MODEL.inputs()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    float label =
        switch (task) {
          case "reg" -> x[0] * 2 - x[1];
          case "bin" -> x[2] > 0 ? 1 : 0;
          default -> x[3] > 0.5 ? 2 : x[3] < -0.5 ? 0 : 1;
        };
    return new LabeledEvent("e-" + ts, "default", task, x, new float[] {label}, ts);
  }

  private Properties props() {
    Properties p = new Properties();
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "mtl-binary-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    return p;
  }
}
