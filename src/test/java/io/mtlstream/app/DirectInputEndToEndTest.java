package io.mtlstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mtlstream.kafka.SharedBroker;
import io.mtlstream.metrics.TrainingReport;
import io.mtlstream.runtime.LearnerApp;
import io.mtlstream.runtime.config.MtlConfig;
import io.mtlstream.runtime.config.MtlKeys;
import io.mtlstream.stream.LearnerTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mtl.input.partitioned.by.model=true} against a real KRaft broker: the learner trains every
 * event without a by-model repartition topic, and refuses to start where reading directly would mix
 * models across tasks or skip events an earlier, repartitioning run left behind.
 */
@Timeout(300)
class DirectInputEndToEndTest {

  private static final Map<String, String> DIRECT =
      Map.of(MtlKeys.INPUT_PARTITIONED_BY_MODEL.key(), "true", MtlKeys.TOPIC_PARTITIONS.key(), "2");

  @RegisterExtension static final SharedBroker KAFKA = new SharedBroker();

  @Test
  void shouldTrainEveryEventWithoutARepartitionTopic(@TempDir Path state) throws Exception {
    PipelineScenario.run(KAFKA.bootstrapServers(), state, "mtl-direct-only", DIRECT);

    Set<String> topics = KAFKA.admin().listTopics().names().get();
    assertThat(topics).contains("mtl.events.task0", "mtl.events.task1");
    assertThat(topics)
        .noneMatch(t -> t.startsWith("mtl-direct-only-") && t.endsWith("-repartition"));
    assertThat(KAFKA.admin().describeTopics(List.of("mtl.events.task0")).allTopicNames().get())
        .allSatisfy((name, d) -> assertThat(d.partitions()).hasSize(2));
  }

  @Test
  void shouldRefuseInputTopicsWithDifferentPartitionCounts(@TempDir Path state) throws Exception {
    Map<String, String> settings = settings(state, "mtl-direct-uneven", "uneven.");
    KAFKA.admin().createTopics(List.of(new NewTopic("uneven.task1", 3, (short) 1))).all().get();

    assertThatThrownBy(() -> startAndClose(settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("uneven.task0=2")
        .hasMessageContaining("uneven.task1=3");
  }

  @Test
  void shouldRefuseWhenTheLearnersStateWasWrittenUnderAnotherPartitionCount(@TempDir Path state)
      throws Exception {
    String appId = "mtl-direct-moved";
    String changelog = LearnerTopology.checkpointChangelog(appId);
    KAFKA.admin().createTopics(List.of(new NewTopic(changelog, 3, (short) 1))).all().get();

    assertThatThrownBy(() -> startAndClose(settings(state, appId, "moved.")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("input topics have 2 partitions")
        .hasMessageContaining(changelog + ") was written under 3");
  }

  @Test
  void shouldRefuseWhileAnEarlierRunLeftEventsOnTheByModelTopic(@TempDir Path state)
      throws Exception {
    String appId = "mtl-direct-pending";
    String byModel = LearnerTopology.byModelTopic(appId);
    KAFKA.admin().createTopics(List.of(new NewTopic(byModel, 1, (short) 1))).all().get();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < 3; i++) {
        producer.send(
            new ProducerRecord<>(byModel, ("left " + i).getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }

    assertThatThrownBy(() -> startAndClose(settings(state, appId, "pending.")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("3 events on " + byModel)
        .hasMessageContaining("mtl.input.partitioned.by.model=false");
  }

  @Test
  void shouldCarryOnFromTheRepartitioningRunsStateAfterSwitching(@TempDir Path state)
      throws Exception {
    Map<String, String> base =
        PipelineScenario.config(KAFKA.bootstrapServers(), state, "mtl-direct-switch");
    base.put(MtlKeys.TOPIC_PREFIX.key(), "switch.");
    base.put(MtlKeys.TOPIC_METRICS.key(), "switch.metrics");
    base.put(MtlKeys.TOPIC_SNAPSHOTS.key(), "switch.snapshots");
    base.put(MtlKeys.TOPIC_PARTITIONS.key(), "2");
    int steps = 40;
    long perRun = (long) steps * PipelineScenario.BATCH;

    TrainingReport before =
        PipelineScenario.trainAndFollow(KAFKA.bootstrapServers(), base, perRun, steps);
    assertThat(KAFKA.admin().listTopics().names().get())
        .contains(LearnerTopology.byModelTopic("mtl-direct-switch"));

    Map<String, String> direct = new HashMap<>(base);
    direct.put(MtlKeys.INPUT_PARTITIONED_BY_MODEL.key(), "true");
    TrainingReport after =
        PipelineScenario.trainAndFollow(KAFKA.bootstrapServers(), direct, perRun, 2 * steps);

    // The direct run restored the repartitioning run's learner: its step count and event
    // counts go on from there instead of starting again at 0.
    assertThat(before.events().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(perRun);
    assertThat(after.step()).isEqualTo(2 * steps);
    assertThat(after.events().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(2 * perRun);
  }

  private static Map<String, String> settings(Path state, String appId, String prefix) {
    Map<String, String> s = PipelineScenario.config(KAFKA.bootstrapServers(), state, appId);
    s.putAll(DIRECT);
    s.put(MtlKeys.TOPIC_PREFIX.key(), prefix);
    return s;
  }

  private static void startAndClose(Map<String, String> settings) {
    try (LearnerApp app =
        new LearnerApp(MtlConfig.load(null, Map.of(), settings), new SimpleMeterRegistry())) {
      assertThat(app).isNotNull();
    }
  }
}
