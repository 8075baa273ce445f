package io.mtlstream.stream;

import io.mtlstream.event.LabeledEvent;
import io.mtlstream.metrics.TrainingReport;
import io.mtlstream.metrics.TrainingReportCodec;
import io.mtlstream.snapshot.SnapshotCodec;
import io.mtlstream.train.nn.NativeThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains each model on its events — on the stream thread, or on a {@link TrainerThread}: steps with
 * nothing to publish while the stream thread reads on, the others while it waits (see {@link
 * ModelRuntime#accept}) — and keeps its state exactly-once with a checkpoint plus a journal
 * (docs/DESIGN.md decision 3): every input is appended to the journal store (in chunks, see {@link
 * JournalChunk}); every N steps the serialised learner goes to the checkpoint store and the model's
 * journal is cleared. Both stores are logged, so at any commit the changelogs hold a checkpoint and
 * the journal of exactly the inputs consumed since. A model's learner is rebuilt on its first
 * record after a start: checkpoint, then the journal replayed through the same deterministic path
 * with outputs suppressed (they were published before).
 *
 * <p>One instance per stream task; owns the learners of the models it sees and closes them, and
 * holds the JVM's one trainer thread ({@link SharedTrainer}) while it lives.
 */
final class LearnerProcessor implements Processor<String, byte[], String, LearnerOutput> {

  static final String CHECKPOINTS = "mtl-learner-checkpoints";
  static final String JOURNAL = "mtl-learner-journal";
  private static final Logger LOG = LoggerFactory.getLogger(LearnerProcessor.class);

  /** How long a finished background step may wait for its meters while no input arrives. */
  static final Duration SETTLE_EVERY = Duration.ofMillis(200);

  private final StreamSettings settings;
  private final Map<String, ModelRuntime> models = new HashMap<>();
  private ProcessorContext<String, LearnerOutput> context;
  private CheckpointStore checkpoints;
  private KeyValueStore<Bytes, byte[]> journal;
  private LearnerMetrics meters;
  private TrainerThread trainer;

  LearnerProcessor(StreamSettings settings) {
    this.settings = settings;
  }

  @Override
  public void init(ProcessorContext<String, LearnerOutput> context) {
    this.context = context;
    this.checkpoints =
        new CheckpointStore(
            context.getStateStore(CHECKPOINTS),
            CheckpointStore.chunkBytes(
                context.appConfigs().get(CheckpointStore.CHUNK_BYTES_CONFIG)));
    this.journal = context.getStateStore(JOURNAL);
    this.meters = new LearnerMetrics(settings.meters());
    if (settings.backgroundSteps()) {
      this.trainer = SharedTrainer.acquire();
      // Every step trains there; what runs here (model creation, checkpoint and snapshot reads)
      // stays off OpenMP, whose workers on a second thread would throttle the trainer's.
      NativeThread.oneThreadHere();
      context.schedule(SETTLE_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> settleAll());
    }
  }

  @Override
  public void process(Record<String, byte[]> record) {
    String model = record.key();
    ModelRuntime runtime = models.computeIfAbsent(model, this::load);
    journal.put(JournalKeys.key(model, runtime.journal(record.value())), runtime.journalValue());
    context
        .recordMetadata()
        .ifPresent(m -> runtime.consumed(m.topic() + "-" + m.partition(), m.offset()));
    apply(model, runtime, record.value(), record.timestamp(), true);
  }

  private void apply(
      String model, ModelRuntime runtime, byte[] input, long timestamp, boolean publish) {
    if (LearnerInput.isRejection(input)) {
      runtime.rejected(LearnerInput.rejectionReason(input));
      return;
    }
    LabeledEvent event = EventRecordCodec.decode(input);
    ModelRuntime.Effect effect = runtime.accept(event);
    if (!effect.stepped()) {
      return;
    }
    LearnerMetrics.ModelMeters m = metered(model, effect);
    if (!publish && effect.report()) {
      // Replaying journaled inputs: this report went out before the crash. Building it resets the
      // accumulators exactly as then, so the next live report covers the same steps.
      runtime.report();
    }
    if (publish && effect.report()) {
      TrainingReport report = runtime.report();
      m.reported(report);
      byte[] json = TrainingReportCodec.encode(report);
      context.forward(
          new Record<>(model, new LearnerOutput(LearnerOutput.Kind.REPORT, json), timestamp));
    }
    if (publish && effect.snapshot()) {
      long started = System.nanoTime();
      byte[] snapshot = SnapshotCodec.encode(runtime.manifest(), runtime.learner().parameters());
      long encodeNanos = System.nanoTime() - started;
      context.forward(
          new Record<>(model, new LearnerOutput(LearnerOutput.Kind.SNAPSHOT, snapshot), timestamp));
      // Under exactly-once a snapshot is visible to read_committed consumers only after the
      // commit: ask for one now instead of waiting out the commit interval (freshness).
      context.commit();
      m.published(
          snapshot.length,
          encodeNanos,
          effect.forced(),
          runtime.drainUnpublished(),
          settings.clock().millis());
    }
    if (publish && effect.heldBack() != null) {
      m.heldBack(effect.heldBack());
    }
    if (effect.checkpoint()) {
      checkpoints.put(model, runtime.checkpoint());
      clearJournal(model);
    }
  }

  private LearnerMetrics.ModelMeters metered(String model, ModelRuntime.Effect effect) {
    LearnerMetrics.ModelMeters m = meters.of(model);
    for (ModelRuntime.Trained t : effect.trained()) {
      m.stepped(t.result(), t.nanos(), t.trainedEvents(), t.background());
    }
    return m;
  }

  /**
   * Scores and meters the steps that finished on the trainer thread, so that idle input does not
   * leave the last step's meters behind (the next full batch would otherwise collect it).
   */
  private void settleAll() {
    models.forEach((model, runtime) -> metered(model, runtime.settle()));
  }

  private ModelRuntime load(String model) {
    byte[] checkpoint = checkpoints.get(model);
    ModelRuntime runtime =
        checkpoint == null
            ? ModelRuntime.fresh(model, settings, trainer)
            : ModelRuntime.restore(model, settings, checkpoint, trainer);
    meters.open(model, runtime);
    List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it =
        journal.range(JournalKeys.from(model), JournalKeys.to(model))) {
      it.forEachRemaining(entries::add);
    }
    int replayed = 0;
    for (KeyValue<Bytes, byte[]> entry : entries) {
      for (byte[] input : JournalChunk.records(entry.value)) {
        apply(model, runtime, input, context.currentStreamTimeMs(), false);
        replayed++;
      }
      runtime.resumeJournalAfter(JournalKeys.seq(entry.key));
    }
    metered(model, runtime.settle());
    // The weights let an operator (and the crash tests) check that the learner resumed exactly
    // where the last committed report left it.
    LOG.info(
        "model '{}': {} at step {}, replayed {} journaled inputs, task weights {}",
        model,
        checkpoint == null ? "new learner" : "restored checkpoint",
        runtime.learner().steps(),
        replayed,
        java.util.Arrays.toString(runtime.learner().weights()));
    return runtime;
  }

  private void clearJournal(String model) {
    List<Bytes> keys = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it =
        journal.range(JournalKeys.from(model), JournalKeys.to(model))) {
      it.forEachRemaining(kv -> keys.add(kv.key));
    }
    keys.forEach(journal::delete);
  }

  @Override
  public void close() {
    try {
      models.values().forEach(ModelRuntime::close);
      models.clear();
    } finally {
      if (trainer != null) {
        SharedTrainer.release(trainer);
        trainer = null;
      }
    }
    if (meters != null) {
      meters.close();
    }
  }
}
