package io.mtlstream.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mtlstream.train.MultiTaskLearner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the subscriber does with the records of a poll, without a broker: the consumer loop itself
 * runs against the real broker in {@link ServeEndToEndTest}.
 */
class SnapshotSubscriberTest {

  private static final TopicPartition P0 = new TopicPartition("mtl.snapshots", 0);

  /** Snapshots of one learner after 5, 10 and 15 steps. */
  private static byte[][] steps;

  private static MultiTaskLearner other;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<String> heard = new ArrayList<>();
  private SnapshotSubscriber subscriber;
  private long offset;

  @BeforeAll
  static void snapshots() {
    SplittableRandom random = new SplittableRandom(1);
    steps = new byte[3][];
    try (MultiTaskLearner learner = ServeFixtures.learner(ServeFixtures.MIXED)) {
      for (int i = 0; i < 3; i++) {
        ServeFixtures.train(learner, 5, random);
        steps[i] = ServeFixtures.snapshot("default", learner);
      }
    }
    other = ServeFixtures.learner(ServeFixtures.MIXED);
  }

  @AfterAll
  static void closeLearner() {
    other.close();
  }

  @AfterEach
  void close() {
    if (subscriber != null) {
      subscriber.close();
    }
  }

  private SnapshotSubscriber subscriber(boolean allModels) {
    SnapshotSubscriber.Builder b =
        SnapshotSubscriber.builder()
            .optConsumer(new MockConsumer<>("earliest"))
            .optMeterRegistry(registry)
            .optListener(
                new SnapshotListener() {
                  @Override
                  public void onLoaded(ServedModel current, ServedModel previous) {
                    heard.add("loaded " + current.modelId() + " " + current.step());
                  }

                  @Override
                  public void onRejected(String modelId, String reason, String message) {
                    heard.add("rejected " + modelId + " " + reason + ": " + message);
                  }

                  @Override
                  public void onRemoved(String modelId) {
                    heard.add("removed " + modelId);
                  }
                });
    if (allModels) {
      b.optAllModels();
    }
    subscriber = b.build();
    return subscriber;
  }

  private void poll(String key, byte[]... values) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (byte[] v : values) {
      records.add(
          new ConsumerRecord<>(P0.topic(), 0, offset++, key.getBytes(StandardCharsets.UTF_8), v));
    }
    subscriber.apply(new ConsumerRecords<>(Map.of(P0, records), Map.of()));
  }

  private double rejected(String reason) {
    var counter = registry.find("mtl.serve.snapshots.rejected").tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void shouldLoadOnlyTheNewestSnapshotOfAPollAndRetireTheOneItReplaces() {
    subscriber(false);
    assertThat(subscriber.current()).isEmpty();

    poll("default", steps[0], steps[1]);
    ServedModel first = subscriber.current().orElseThrow();
    assertThat(first.step()).isEqualTo(10);
    assertThat(subscriber.loadedCount()).isEqualTo(1);

    poll("default", steps[2]);
    assertThat(subscriber.current().orElseThrow().step()).isEqualTo(15);
    assertThat(first.isRetired()).isTrue();
    assertThat(first.tryLease()).isEmpty();
    assertThat(heard).containsExactly("loaded default 10", "loaded default 15");
    assertThat(registry.get("mtl.serve.snapshots.loaded").counter().count()).isEqualTo(2);
    assertThat(registry.get("mtl.serve.model.steps").gauge().value()).isEqualTo(15);
  }

  @Test
  void shouldKeepServingThePreviousModelWhenSnapshotsAreRejected() {
    subscriber(false);
    poll("default", steps[0]);
    ServedModel served = subscriber.current().orElseThrow();

    poll(
        "default",
        ServeFixtures.corrupted(steps[1]),
        ServeFixtures.withVersion(steps[1], 2),
        Arrays.copyOf(steps[1], 100));

    assertThat(subscriber.current()).containsSame(served);
    assertThat(served.isRetired()).isFalse();
    assertThat(subscriber.rejections())
        .containsEntry("checksum_mismatch", 1L)
        .containsEntry("unsupported_version", 1L)
        .containsEntry("truncated", 1L);
    assertThat(rejected("checksum_mismatch")).isEqualTo(1);
    assertThat(rejected("unsupported_version")).isEqualTo(1);
    assertThat(heard)
        .anySatisfy(h -> assertThat(h).startsWith("rejected default checksum_mismatch: "))
        .anySatisfy(h -> assertThat(h).contains("unsupported_version").contains("version 2"));
  }

  @Test
  void shouldFallBackToTheNewestValidSnapshotOfAPoll() {
    subscriber(false);

    poll("default", steps[0], steps[1], ServeFixtures.corrupted(steps[2]));

    assertThat(subscriber.current().orElseThrow().step()).isEqualTo(10);
    assertThat(subscriber.rejections()).containsExactly(Map.entry("checksum_mismatch", 1L));
  }

  @Test
  void shouldRejectASnapshotFiledUnderAnotherModelsKey() {
    subscriber(false);

    poll("default", ServeFixtures.snapshot("other", other));

    assertThat(subscriber.current()).isEmpty();
    assertThat(subscriber.rejections()).containsEntry("model_id_mismatch", 1L);
  }

  @Test
  void shouldFollowOnlyItsModelUnlessAskedToFollowAll() {
    subscriber(false);
    poll("other", ServeFixtures.snapshot("other", other));
    assertThat(subscriber.models()).isEmpty();
    assertThat(subscriber.serves("other")).isFalse();
    subscriber.close();

    subscriber(true);
    poll("other", ServeFixtures.snapshot("other", other));
    assertThat(subscriber.current("other")).isPresent();
    assertThat(subscriber.serves("other")).isTrue();
    assertThat(subscriber.serves("default")).isTrue();
    assertThat(subscriber.serves("third")).isFalse();
  }

  @Test
  void shouldStopServingAModelDeletedByATombstone() {
    subscriber(false);
    poll("default", steps[0]);
    ServedModel served = subscriber.current().orElseThrow();

    poll("default", steps[1], null);

    assertThat(subscriber.current()).isEmpty();
    assertThat(served.isRetired()).isTrue();
    assertThat(heard).containsExactly("loaded default 5", "removed default");
  }

  @Test
  void shouldNotReloadTheSnapshotItAlreadyServes() {
    subscriber(false);
    poll("default", steps[0]);
    ServedModel served = subscriber.current().orElseThrow();

    poll("default", steps[0].clone());

    assertThat(subscriber.current()).containsSame(served);
    assertThat(subscriber.loadedCount()).isEqualTo(1);
  }

  @Test
  void shouldWaitForAModelWithADeadline() throws InterruptedException {
    subscriber(false);
    assertThat(subscriber.awaitModel("default", m -> true, Duration.ofMillis(50))).isEmpty();

    poll("default", steps[1]);

    assertThat(subscriber.awaitModel("default", m -> m.step() >= 10, Duration.ofSeconds(5)))
        .hasValueSatisfying(m -> assertThat(m.step()).isEqualTo(10));
  }

  @Test
  void shouldRetireEveryModelOnClose() {
    subscriber(false);
    poll("default", steps[0]);
    ServedModel served = subscriber.current().orElseThrow();

    subscriber.close();

    assertThat(served.isRetired()).isTrue();
    assertThat(subscriber.current()).isEmpty();
    assertThatThrownBy(subscriber::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void shouldReadCommittedSnapshotsWithoutAGroupWhateverTheOverrides() {
    Map<String, Object> config =
        SnapshotFollower.consumerConfig(
            "127.0.0.1:9092",
            Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
                ConsumerConfig.GROUP_ID_CONFIG, "g",
                ConsumerConfig.CLIENT_ID_CONFIG, "serve-1"));

    assertThat(config)
        .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
        .containsEntry(ConsumerConfig.CLIENT_ID_CONFIG, "serve-1")
        .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
        .doesNotContainKey(ConsumerConfig.GROUP_ID_CONFIG);
    assertThat((int) config.get(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG))
        .isGreaterThan(100 << 20);
    assertThatThrownBy(() -> SnapshotSubscriber.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("setBootstrapServers");
  }
}
