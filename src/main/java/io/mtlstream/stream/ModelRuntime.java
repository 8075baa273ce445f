package io.mtlstream.stream;

import io.mtlstream.event.LabeledEvent;
import io.mtlstream.train.MiniBatch;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.MultiTaskLearner;
import io.mtlstream.train.StepResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One model's learner inside the stream: batches its events, trains, and says when a report, a
 * snapshot or a checkpoint is due. Publishing and storage belong to {@link LearnerProcessor}; this
 * class holds no Kafka types. Owns its {@link MultiTaskLearner}; not thread-safe.
 */
final class ModelRuntime implements AutoCloseable {

  /** What one event caused: a step result (or null) and which outputs are due. */
  record Effect(StepResult step, boolean report, boolean snapshot, boolean checkpoint) {
    static final Effect NONE = new Effect(null, false, false, false);
  }

  private final String modelId;
  private final StreamSettings settings;
  private final MultiTaskLearner learner;
  private final BatchAssembler assembler;
  private final ReportBuilder reports;
  private final Map<String, Long> rejected;
  private final Map<String, Long> inputOffsets;
  private long nextJournalSeq;
  private long newestEventTimestamp;
  private long lastSnapshotEventTime;

  private ModelRuntime(
      String modelId, StreamSettings settings, MultiTaskLearner learner, LearnerCheckpoint from) {
    this.modelId = modelId;
    this.settings = settings;
    this.learner = learner;
    this.assembler = new BatchAssembler(settings.learner().model(), settings.batchSize());
    this.reports = new ReportBuilder(modelId, learner, settings.clock());
    this.rejected = new TreeMap<>(from == null ? Map.of() : from.rejected());
    this.inputOffsets = new TreeMap<>(from == null ? Map.of() : from.inputOffsets());
    this.nextJournalSeq = from == null ? 0 : from.nextJournalSeq();
    this.newestEventTimestamp = from == null ? -1 : from.newestEventTimestamp();
    this.lastSnapshotEventTime = from == null ? -1 : from.lastSnapshotEventTime();
  }

  static ModelRuntime fresh(String modelId, StreamSettings settings) {
    return new ModelRuntime(modelId, settings, MultiTaskLearner.create(settings.learner()), null);
  }

  static ModelRuntime restore(String modelId, StreamSettings settings, byte[] checkpoint) {
    LearnerCheckpoint c = LearnerCheckpoint.decode(checkpoint);
    return new ModelRuntime(
        modelId, settings, MultiTaskLearner.restore(settings.learner(), c.learnerState()), c);
  }

  /** Takes the journal sequence number for the next event. */
  long nextJournalSeq() {
    return nextJournalSeq++;
  }

  /** Records the consumed input position (for the snapshot manifest). */
  void consumed(String topicPartition, long offset) {
    inputOffsets.put(topicPartition, offset + 1);
  }

  /** Counts an event dead-lettered upstream for this model. */
  void rejected(String reason) {
    rejected.merge(reason, 1L, Long::sum);
  }

  /** Adds a validated event; trains when the batch is full. */
  Effect accept(LabeledEvent event) {
    newestEventTimestamp = Math.max(newestEventTimestamp, event.timestamp());
    MiniBatch batch = assembler.add(event);
    if (batch == null) {
      return Effect.NONE;
    }
    StepResult result = learner.step(batch);
    reports.observe(result, batch.rows());
    long step = learner.steps();
    boolean applied = result.accepted();
    boolean snapshot =
        applied
            && (settings.snapshotEverySteps() > 0 && step % settings.snapshotEverySteps() == 0
                || settings.snapshotEveryMillis() > 0
                    && newestEventTimestamp - lastSnapshotEventTime
                        >= settings.snapshotEveryMillis());
    if (snapshot) {
      lastSnapshotEventTime = newestEventTimestamp;
    }
    return new Effect(
        result,
        applied && step % settings.reportEverySteps() == 0,
        snapshot,
        applied && step % settings.checkpointEverySteps() == 0);
  }

  /** The checkpoint bytes; only meaningful right after a step (no partly filled batch). */
  byte[] checkpoint() {
    if (assembler.pendingCount() != 0) {
      throw new IllegalStateException("checkpoint with a partly filled batch would lose events");
    }
    return new LearnerCheckpoint(
            learner.saveState(),
            nextJournalSeq,
            rejected,
            newestEventTimestamp,
            lastSnapshotEventTime,
            inputOffsets)
        .encode();
  }

  io.mtlstream.metrics.TrainingReport report() {
    return reports.build(new TreeMap<>(mergedRejections()));
  }

  io.mtlstream.snapshot.SnapshotManifest manifest() {
    ModelSpec spec = learner.spec();
    List<String> tasks = new ArrayList<>();
    spec.tasks().forEach(t -> tasks.add(t.name()));
    return io.mtlstream.snapshot.SnapshotManifest.builder()
        .setModelId(modelId)
        .setModel(spec)
        .setBalancer(settings.learner().balancer())
        .setTaskWeights(learner.weights())
        .setStep(learner.steps())
        .setCreatedAtMillis(settings.clock().millis())
        .optTrainedEvents(learner.counters().trainedEvents())
        .optInputOffsets(inputOffsets)
        .optNewestEventTimestamp(newestEventTimestamp)
        .build();
  }

  MultiTaskLearner learner() {
    return learner;
  }

  private Map<String, Long> mergedRejections() {
    Map<String, Long> all = new TreeMap<>(rejected);
    learner.counters().rejectedSteps().forEach((k, v) -> all.merge(k, v, Long::sum));
    return all;
  }

  @Override
  public void close() {
    learner.close();
  }
}
