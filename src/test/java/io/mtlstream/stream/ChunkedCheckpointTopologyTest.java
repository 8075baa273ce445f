package io.mtlstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.mtlstream.runtime.config.MtlKeys;
import io.mtlstream.snapshot.Snapshot;
import io.mtlstream.train.MultiTaskLearner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A learner state larger than one changelog record, with the chunk size lowered to 128 bytes. */
class ChunkedCheckpointTopologyTest {

  private static final int CHUNK = 128;
  private static final String[] TASKS = {"reg", "bin", "cls"};

  @Test
  void shouldReadTheChunkSizeUnderTheKeyTheCliSets() {
    assertThat(CheckpointStore.CHUNK_BYTES_CONFIG).isEqualTo(MtlKeys.CHECKPOINT_CHUNK_BYTES.key());
    assertThat(CheckpointStore.chunkBytes(MtlKeys.CHECKPOINT_CHUNK_BYTES.defaultValue()))
        .isEqualTo(CheckpointStore.DEFAULT_CHUNK_BYTES);
  }

  @Test
  void shouldCheckpointInChunksAndContinueBitIdenticallyFromTheRestoredCheckpoint(
      @TempDir Path stateDir) {
    // batch 12, a report and a snapshot every step, a checkpoint every 5 steps
    StreamSettings settings = TestStreams.settings(12, 1, 1, 5);
    List<byte[]> first = events(60, 0); // steps 1-5: the checkpoint at step 5 clears the journal
    List<byte[]> later = events(24, 60); // steps 6-7
    List<KeyValue<Bytes, byte[]>> stored;
    byte[] checkpoint;
    Snapshot original;
    try (TopologyTestDriver driver =
        new TopologyTestDriver(LearnerTopology.build(settings), props(stateDir.resolve("a")))) {
      pipe(driver, first, 0);
      KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(LearnerProcessor.CHECKPOINTS);
      stored = TestStreams.entries(store);
      checkpoint = new CheckpointStore(store, CHUNK).get("default");
      pipe(driver, later, 60);
      original = TestStreams.lastSnapshot(driver, settings);
    }

    byte[] state = LearnerCheckpoint.decode(checkpoint).learnerState();
    assertThat(checkpoint.length).isGreaterThan(10 * CHUNK);
    assertThat(stored).hasSize((checkpoint.length + CHUNK - 1) / CHUNK + 1);
    assertThat(stored).allSatisfy(kv -> assertThat(kv.value.length).isLessThanOrEqualTo(CHUNK));
    try (MultiTaskLearner restored = MultiTaskLearner.restore(settings.learner(), state)) {
      assertThat(restored.steps()).isEqualTo(5);
      assertThat(restored.saveState()).isEqualTo(state);
    }

    try (TopologyTestDriver driver =
        new TopologyTestDriver(LearnerTopology.build(settings), props(stateDir.resolve("b")))) {
      KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(LearnerProcessor.CHECKPOINTS);
      stored.forEach(kv -> store.put(kv.key, kv.value));
      pipe(driver, later, 60);
      Snapshot resumed = TestStreams.lastSnapshot(driver, settings);

      assertThat(resumed.manifest().step()).isEqualTo(7).isEqualTo(original.manifest().step());
      assertThat(TestStreams.bits(resumed.parameters()))
          .isEqualTo(TestStreams.bits(original.parameters()));
    }
  }

  /** A state dir of its own: the default one under /tmp is shared by every test of the app id. */
  private static Properties props(Path stateDir) {
    Properties p = new Properties();
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "mtl-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    p.put(CheckpointStore.CHUNK_BYTES_CONFIG, Integer.toString(CHUNK));
    return p;
  }

  private static List<byte[]> events(int n, long firstTs) {
    SplittableRandom random = new SplittableRandom(firstTs + 17);
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(TestStreams.event(random, "default", TASKS[i % 3], firstTs + i));
    }
    return out;
  }

  private static void pipe(TopologyTestDriver driver, List<byte[]> events, long firstTs) {
    Map<String, TestInputTopic<byte[], byte[]>> in = LearnerTopologyTest.inputs(driver);
    for (int i = 0; i < events.size(); i++) {
      in.get(TASKS[i % 3]).pipeInput(null, events.get(i), firstTs + i);
    }
  }
}
