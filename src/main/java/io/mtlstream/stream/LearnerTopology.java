package io.mtlstream.stream;

import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The learner topology: per-task topics → decode and validate (rejects to the dead-letter topic) →
 * re-key by model id and repartition, so one partition owns one model → the learner processor with
 * its checkpoint and journal stores → training reports and snapshots. With direct input ({@link
 * StreamSettings#directInput()}) the input is already partitioned by model id and the learner runs
 * in the decoder's stream task: same stores, same outputs, no repartition topic.
 */
public final class LearnerTopology {

  /**
   * Largest changelog record: a journal entry, or one checkpoint chunk ({@link
   * CheckpointStore#DEFAULT_CHUNK_BYTES}); whole checkpoints of any size are split into chunks.
   */
  static final String STATE_MAX_BYTES = Integer.toString(64 << 20);

  /**
   * Name of the by-model repartition; its topic is {@code <application.id>-by-model-repartition}.
   */
  private static final String BY_MODEL = "by-model";

  /**
   * Start of the name of the thread the learners train on with background steps ({@code
   * mtl-trainer-shared}). Tools that attribute CPU by thread (bench pipeline) match on it.
   */
  public static final String TRAINER_THREAD_PREFIX = "mtl-trainer-";

  /** The by-model repartition topic of application {@code applicationId}. */
  public static String byModelTopic(String applicationId) {
    return applicationId + "-" + BY_MODEL + "-repartition";
  }

  /**
   * The changelog of the learners' checkpoints: its partition count is the partitioning the models'
   * state was written under.
   */
  public static String checkpointChangelog(String applicationId) {
    return applicationId + "-" + LearnerProcessor.CHECKPOINTS + "-changelog";
  }

  private LearnerTopology() {}

  public static Topology build(StreamSettings settings) {
    StreamsBuilder builder = new StreamsBuilder();
    addTo(builder, settings);
    return builder.build();
  }

  /** Adds the learner pipeline to {@code builder} (tests and larger apps compose it). */
  public static void addTo(StreamsBuilder builder, StreamSettings settings) {
    // Small segments and an eager cleaner keep a restore to about one checkpoint plus the journal,
    // instead of every checkpoint since the last 1 GiB segment rolled.
    Map<String, String> compacted =
        Map.of("segment.bytes", Integer.toString(64 << 20), "min.cleanable.dirty.ratio", "0.1");
    Map<String, String> changelog = new java.util.HashMap<>(compacted);
    changelog.put("max.message.bytes", STATE_MAX_BYTES);
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(LearnerProcessor.CHECKPOINTS),
                Serdes.Bytes(),
                Serdes.ByteArray())
            .withLoggingEnabled(changelog)
            // Uncached: every checkpoint writes fresh keys once, so a cache saves nothing, and
            // writes reach the changelog in call order (CheckpointStore relies on that order).
            .withCachingDisabled());
    // The journal lives in memory (changelogged like any store): it holds only the inputs since
    // the last checkpoint and is cleared at every checkpoint, so it stays small, while a RocksDB
    // journal flushed a memtable to a new SST file at every exactly-once commit and compacted
    // them — a large share of the process's CPU under load (measured with bench pipeline).
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(LearnerProcessor.JOURNAL),
                Serdes.Bytes(),
                Serdes.ByteArray())
            .withLoggingEnabled(compacted)
            .withCachingEnabled());

    Map<String, KStream<String, Routed>> routes =
        builder.stream(
                settings.topics().topics(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("events"))
            .process(() -> new DecodeProcessor(settings), Named.as("decode"))
            .split(Named.as("route-"))
            .branch((model, routed) -> routed.isDeadLetter(), Branched.as("dead-letter"))
            .defaultBranch(Branched.as("learn"));

    routes
        .get("route-dead-letter")
        .map(
            (model, routed) -> KeyValue.pair(routed.originalKey(), routed.originalValue()),
            Named.as("restore-original"))
        .to(
            settings.deadLetterTopic(),
            Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("dead-letter-sink"));

    KStream<String, byte[]> learnerInput =
        routes.get("route-learn").mapValues(Routed::learnerInput, Named.as("learner-input"));
    if (!settings.directInput()) {
      learnerInput =
          learnerInput.repartition(
              Repartitioned.with(Serdes.String(), Serdes.ByteArray()).withName(BY_MODEL));
    }
    Map<String, KStream<String, LearnerOutput>> outputs =
        learnerInput
            .process(
                () -> new LearnerProcessor(settings),
                Named.as("learner"),
                LearnerProcessor.CHECKPOINTS,
                LearnerProcessor.JOURNAL)
            .split(Named.as("output-"))
            .branch((model, out) -> out.kind() == LearnerOutput.Kind.REPORT, Branched.as("reports"))
            .defaultBranch(Branched.as("snapshots"));

    outputs
        .get("output-reports")
        .mapValues(LearnerOutput::value, Named.as("report-bytes"))
        .to(
            settings.metricsTopic(),
            Produced.with(Serdes.String(), Serdes.ByteArray()).withName("metrics-sink"));
    outputs
        .get("output-snapshots")
        .mapValues(LearnerOutput::value, Named.as("snapshot-bytes"))
        .to(
            settings.snapshotsTopic(),
            Produced.with(Serdes.String(), Serdes.ByteArray()).withName("snapshots-sink"));
  }
}
