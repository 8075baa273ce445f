package io.mtlstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Own broker: these tests pre-create project topics with wrong configs. */
@Timeout(120)
class TopicProvisionerTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int SNAPSHOT_BYTES = 64 * 1024 * 1024;

  private static TopicProvisioner provisioner;

  @RegisterExtension static final SharedBroker KAFKA = new SharedBroker();

  @BeforeAll
  static void provisioner() {
    provisioner = new TopicProvisioner(KAFKA.admin(), WAIT);
  }

  @Test
  void shouldRejectAnExistingSnapshotTopicThatIsNotCompacted() throws Exception {
    createTopic(TopicSpec.SNAPSHOTS, Map.of("cleanup.policy", "delete"));

    assertThatThrownBy(() -> provisioner.provision(List.of(TopicSpec.snapshots(1, SNAPSHOT_BYTES))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("topic mtl.snapshots: cleanup.policy is 'delete', expected 'compact'")
        .hasMessageContaining("--entity-name mtl.snapshots --add-config cleanup.policy=compact");
  }

  @Test
  void shouldRejectAnExistingTopicWhoseMaxMessageBytesIsTooSmall() throws Exception {
    Map<String, String> snapshotConfigs = TopicSpec.snapshots(1, SNAPSHOT_BYTES).configs();
    createTopic(
        "small.snapshots", Map.of("cleanup.policy", "compact", "max.message.bytes", "1048576"));

    assertThatThrownBy(
            () ->
                provisioner.provision(
                    List.of(new TopicSpec("small.snapshots", 1, snapshotConfigs))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "topic small.snapshots: max.message.bytes is '1048576', expected at least "
                + SNAPSHOT_BYTES);
  }

  @Test
  void shouldCreateOnlyMissingTopicsAndAcceptFittingOnes() {
    List<TopicSpec> specs = List.of(TopicSpec.events("alpha", 2), TopicSpec.deadLetter(1));

    assertThat(provisioner.provision(specs))
        .containsExactlyInAnyOrder("mtl.events.alpha", "mtl.dlq");
    assertThat(provisioner.provision(specs)).isEmpty();
  }

  @Test
  void shouldAcceptAnEventTopicWithFewerPartitionsThanSpecified() throws Exception {
    createTopic("mtl.events.narrow", Map.of("cleanup.policy", "delete"));

    assertThat(provisioner.provision(List.of(TopicSpec.events("narrow", 4)))).isEmpty();
  }

  @Test
  void shouldToleratePeersProvisioningTheSameTopicsConcurrently() {
    List<TopicSpec> specs =
        List.of(TopicSpec.events("race", 3), TopicSpec.metrics(1, Duration.ofHours(1)));

    List<CompletableFuture<Set<String>>> runs =
        IntStream.range(0, 4)
            .mapToObj(i -> CompletableFuture.supplyAsync(() -> provisioner.provision(specs)))
            .toList();

    Set<String> created = new HashSet<>();
    runs.forEach(run -> created.addAll(run.join()));
    assertThat(created).containsExactlyInAnyOrder("mtl.events.race", "mtl.metrics");
  }

  private static void createTopic(String name, Map<String, String> configs) throws Exception {
    NewTopic topic = new NewTopic(name, 1, (short) 1).configs(configs);
    KAFKA.admin().createTopics(List.of(topic)).all().get();
  }
}
