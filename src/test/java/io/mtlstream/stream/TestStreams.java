package io.mtlstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mtlstream.event.EventEncoder;
import io.mtlstream.event.LabeledEvent;
import io.mtlstream.event.TopicTasks;
import io.mtlstream.snapshot.Snapshot;
import io.mtlstream.snapshot.SnapshotCodec;
import io.mtlstream.train.Activation;
import io.mtlstream.train.LearnerSettings;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.TaskSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/** A small three-task model, its stream settings, and event payloads for topology tests. */
final class TestStreams {

  static final ModelSpec MODEL =
      new ModelSpec(
          4,
          new int[] {8},
          Activation.RELU,
          List.of(
              TaskSpec.regression("reg", 1),
              TaskSpec.binary("bin"),
              TaskSpec.multiclass("cls", 3)));

  private TestStreams() {}

  static StreamSettings settings(
      int batch, int reportEvery, int snapshotEvery, int checkpointEvery) {
    return settings(batch, reportEvery, snapshotEvery, checkpointEvery, new SimpleMeterRegistry());
  }

  static StreamSettings settings(
      int batch,
      int reportEvery,
      int snapshotEvery,
      int checkpointEvery,
      io.micrometer.core.instrument.MeterRegistry meters) {
    return new StreamSettings(
        Schemas.eventSchema(MODEL, Set.of(), 1 << 16),
        TopicTasks.defaults(List.of("reg", "bin", "cls")),
        LearnerSettings.defaults(MODEL),
        batch,
        reportEvery,
        snapshotEvery,
        0,
        checkpointEvery,
        "mtl.dlq",
        "mtl.metrics",
        "mtl.snapshots",
        Clock.systemUTC(),
        meters,
        QualitySettings.defaults());
  }

  /** A topology test driver of the learner with its state under {@code stateDir}. */
  static TopologyTestDriver driver(StreamSettings settings, Path stateDir) {
    Properties p = new Properties();
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "mtl-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    return new TopologyTestDriver(LearnerTopology.build(settings), p);
  }

  private static final String[] TASKS = {"reg", "bin", "cls"};

  /** {@code n} seeded events of model {@code default}, the tasks in turn, event time = index. */
  static List<byte[]> events(int n) {
    SplittableRandom random = new SplittableRandom(17);
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(event(random, "default", TASKS[i % 3], i));
    }
    return out;
  }

  /** Pipes events {@code from} (inclusive) to {@code to} of {@link #events} into their topics. */
  static void pipe(TopologyTestDriver driver, List<byte[]> events, int from, int to) {
    Map<String, TestInputTopic<byte[], byte[]>> in = LearnerTopologyTest.inputs(driver);
    for (int i = from; i < to; i++) {
      in.get(TASKS[i % 3]).pipeInput(null, events.get(i), i);
    }
  }

  /** A valid event of {@code task} for {@code model}, JSON encoded. */
  static byte[] event(SplittableRandom random, String model, String task, long ts) {
    float[] x = new float[MODEL.inputs()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    float label =
        switch (task) {
          case "reg" -> x[0] * 2 - x[1];
          case "bin" -> x[2] > 0 ? 1 : 0;
          default -> x[3] > 0.5 ? 2 : x[3] < -0.5 ? 0 : 1;
        };
    return new EventEncoder()
        .encode(new LabeledEvent("e-" + ts, model, task, x, new float[] {label}, ts), false);
  }

  /** The newest snapshot the topology published. */
  /** Every record on the dead-letter topic so far. */
  static List<TestRecord<byte[], byte[]>> deadLetters(
      TopologyTestDriver driver, StreamSettings settings) {
    return driver
        .createOutputTopic(
            settings.deadLetterTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer())
        .readRecordsToList();
  }

  /** The last value of header {@code name} as UTF-8, or null. */
  static String header(TestRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  static Snapshot lastSnapshot(TopologyTestDriver driver, StreamSettings settings) {
    List<TestRecord<String, byte[]>> snapshots =
        LearnerTopologyTest.output(driver, settings.snapshotsTopic());
    return SnapshotCodec.decode(snapshots.get(snapshots.size() - 1).value());
  }

  /** Every entry of a store, in key order. */
  static <K> List<KeyValue<K, byte[]>> entries(KeyValueStore<K, byte[]> store) {
    List<KeyValue<K, byte[]>> out = new ArrayList<>();
    try (KeyValueIterator<K, byte[]> it = store.all()) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  /** The learner's checkpoints and journal as a stopped instance left them on disk. */
  record LearnerStores(
      List<KeyValue<Object, byte[]>> checkpoints, List<KeyValue<Bytes, byte[]>> journal) {

    static LearnerStores of(TopologyTestDriver driver) {
      return new LearnerStores(
          entries(driver.getKeyValueStore(LearnerProcessor.CHECKPOINTS)),
          entries(driver.getKeyValueStore(LearnerProcessor.JOURNAL)));
    }

    /** How many input records the journal's chunks hold. */
    int journaledRecords() {
      return journal.stream().mapToInt(kv -> JournalChunk.records(kv.value).size()).sum();
    }

    /** Writes both stores into a fresh instance, as a restore from the changelogs would. */
    void restoreInto(TopologyTestDriver driver) {
      KeyValueStore<Object, byte[]> c = driver.getKeyValueStore(LearnerProcessor.CHECKPOINTS);
      KeyValueStore<Bytes, byte[]> j = driver.getKeyValueStore(LearnerProcessor.JOURNAL);
      checkpoints.forEach(kv -> c.put(kv.key, kv.value));
      journal.forEach(kv -> j.put(kv.key, kv.value));
    }
  }

  /** Same step, same trained-event count and the same parameters, bit for bit. */
  static void assertSameModel(Snapshot actual, Snapshot expected) {
    assertThat(actual.manifest().step()).isEqualTo(expected.manifest().step());
    assertThat(actual.manifest().trainedEvents()).isEqualTo(expected.manifest().trainedEvents());
    assertThat(bits(actual.parameters())).isEqualTo(bits(expected.parameters()));
  }

  /** Raw float bits, so that parameters compare bit for bit (NaN and -0 included). */
  static int[] bits(float[] values) {
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Float.floatToRawIntBits(values[i]);
    }
    return out;
  }
}
