package io.mtlstream.stream;

import io.mtlstream.eval.PrequentialEvaluator;
import io.mtlstream.eval.SnapshotGate;
import io.mtlstream.eval.TaskQuality;
import io.mtlstream.event.LabeledEvent;
import io.mtlstream.train.MiniBatch;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.MultiTaskLearner;
import io.mtlstream.train.StepResult;
import io.mtlstream.train.TaskRows;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model's learner inside the stream: batches its events, trains, and says when a report, a
 * snapshot or a checkpoint is due. Publishing and storage belong to {@link LearnerProcessor}; this
 * class holds no Kafka types. Owns its {@link MultiTaskLearner}; not thread-safe.
 */
final class ModelRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ModelRuntime.class);

  /**
   * What one event caused: a step result (or null), which outputs are due, and — when a due
   * snapshot was held back by the quality gate — why; for the meters, whether the snapshot was
   * forced out despite a regression, and the step's duration.
   */
  record Effect(
      StepResult step,
      boolean report,
      boolean snapshot,
      String heldBack,
      boolean checkpoint,
      boolean forced,
      long stepNanos) {
    static final Effect NONE = new Effect(null, false, false, null, false, false, 0);
  }

  private final String modelId;
  private final StreamSettings settings;
  private final MultiTaskLearner learner;
  private final BatchAssembler assembler;
  private final ReportBuilder reports;
  private final Map<String, Long> rejected;
  private final Map<String, Long> inputOffsets;
  private JournalChunk journal;
  private long newestEventTimestamp;
  private long lastSnapshotEventTime;
  private final PrequentialEvaluator quality;
  private final SnapshotGate gate;
  private static final int MAX_UNPUBLISHED = 1 << 20;
  private long[] unpublished = new long[64];
  private int unpublishedCount;

  private ModelRuntime(
      String modelId, StreamSettings settings, MultiTaskLearner learner, LearnerCheckpoint from) {
    this.modelId = modelId;
    this.settings = settings;
    this.learner = learner;
    this.assembler = new BatchAssembler(settings.learner().model(), settings.batchSize());
    this.reports = new ReportBuilder(modelId, learner, settings.clock());
    this.rejected = new TreeMap<>(from == null ? Map.of() : from.rejected());
    this.inputOffsets = new TreeMap<>(from == null ? Map.of() : from.inputOffsets());
    this.journal = newJournal(from == null ? 0 : from.nextJournalSeq());
    this.newestEventTimestamp = from == null ? -1 : from.newestEventTimestamp();
    this.lastSnapshotEventTime = from == null ? -1 : from.lastSnapshotEventTime();
    ModelSpec spec = settings.learner().model();
    QualitySettings q = settings.quality();
    this.quality = new PrequentialEvaluator(spec, q.horizonEvents(), q.aucWindow());
    this.gate =
        new SnapshotGate(
            spec.tasks().stream().map(t -> t.name()).toArray(String[]::new),
            q.gateTolerance(),
            q.maxConsecutiveHolds());
    if (from != null && from.evaluation().length > 0) {
      restoreEvaluation(from.evaluation());
    }
  }

  private void restoreEvaluation(byte[] bytes) {
    try {
      var in = new DataInputStream(new ByteArrayInputStream(bytes));
      quality.readState(in);
      gate.readState(in);
    } catch (IOException e) {
      // A changed task set (or an older layout) restarts evaluation; training state is unaffected.
      LOG.info("model '{}': prequential evaluation restarts ({})", modelId, e.getMessage());
    }
  }

  static ModelRuntime fresh(String modelId, StreamSettings settings) {
    return new ModelRuntime(modelId, settings, MultiTaskLearner.create(settings.learner()), null);
  }

  static ModelRuntime restore(String modelId, StreamSettings settings, byte[] checkpoint) {
    LearnerCheckpoint c = LearnerCheckpoint.decode(checkpoint);
    return new ModelRuntime(
        modelId, settings, MultiTaskLearner.restore(settings.learner(), c.learnerState()), c);
  }

  /**
   * Appends a consumed input to the journal's open chunk; returns the chunk's sequence number,
   * whose entry must be written with {@link #journalValue()} before the input is applied.
   */
  long journal(byte[] input) {
    return journal.append(input);
  }

  byte[] journalValue() {
    return journal.value();
  }

  /** After replaying the journal (last entry {@code lastSeq}), new inputs go to a fresh chunk. */
  void resumeJournalAfter(long lastSeq) {
    journal = newJournal(Math.max(journal.nextSeq(), lastSeq + 1));
  }

  private static JournalChunk newJournal(long firstSeq) {
    return new JournalChunk(
        firstSeq, JournalChunk.DEFAULT_MAX_RECORDS, JournalChunk.DEFAULT_MAX_BYTES);
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
    recordUnpublished(event.timestamp());
    MiniBatch batch = assembler.add(event);
    if (batch == null) {
      return Effect.NONE;
    }
    long started = System.nanoTime();
    StepResult result = learner.step(batch);
    long stepNanos = System.nanoTime() - started;
    reports.observe(result, batch.rows());
    long step = learner.steps();
    boolean applied = result.accepted();
    if (applied) {
      score(batch, result);
    } else {
      // Rare and worth a line: the batch's events are counted as rejected, never trained.
      LOG.warn(
          "model '{}': step after {} rejected ({}); its {} events were not trained",
          modelId,
          step,
          result.rejection(),
          batch.rows());
    }
    boolean due =
        applied
            && (settings.snapshotEverySteps() > 0 && step % settings.snapshotEverySteps() == 0
                || settings.snapshotEveryMillis() > 0
                    && newestEventTimestamp - lastSnapshotEventTime
                        >= settings.snapshotEveryMillis());
    SnapshotGate.Decision decision = due ? gate.decide(prequentialLosses()) : null;
    boolean snapshot = decision != null && decision.publish();
    if (due) {
      lastSnapshotEventTime = newestEventTimestamp;
    }
    return new Effect(
        result,
        applied && step % settings.reportEverySteps() == 0,
        snapshot,
        decision != null && !decision.publish() ? decision.reason() : null,
        applied && step % settings.checkpointEverySteps() == 0,
        snapshot && decision.reason() != null,
        stepNanos);
  }

  /** Test-then-train: the step's outputs came from the model before it trained on the batch. */
  private void score(MiniBatch batch, StepResult result) {
    for (TaskRows rows : batch.blocks()) {
      float[] outputs = result.outputs()[rows.task()];
      quality.observe(
          rows.task(), outputs, rows.labelsView(), rows.rows(), result.losses()[rows.task()]);
    }
  }

  /**
   * Per-task prequential losses for the gate; NaN (not judged) until a task has been scored over a
   * full horizon, because earlier estimates are too noisy to hold a snapshot back on.
   */
  private double[] prequentialLosses() {
    double[] losses = new double[learner.spec().taskCount()];
    for (int i = 0; i < losses.length; i++) {
      TaskQuality q = quality.quality(i);
      losses[i] = q.events() >= settings.quality().horizonEvents() ? q.loss() : Double.NaN;
    }
    return losses;
  }

  /**
   * Remembers an event time for freshness, only while snapshots are on, and at most {@link
   * #MAX_UNPUBLISHED} of them (a gate holding snapshots back must not grow memory without bound).
   */
  private void recordUnpublished(long eventTime) {
    boolean snapshotsOn = settings.snapshotEverySteps() > 0 || settings.snapshotEveryMillis() > 0;
    if (!snapshotsOn || unpublishedCount == MAX_UNPUBLISHED) {
      return;
    }
    if (unpublishedCount == unpublished.length) {
      unpublished = Arrays.copyOf(unpublished, unpublished.length * 2);
    }
    unpublished[unpublishedCount++] = eventTime;
  }

  /**
   * Event times of the events trained since the last published snapshot, then forgets them: the
   * publisher turns them into freshness (publish time − event time).
   */
  long[] drainUnpublished() {
    long[] out = Arrays.copyOf(unpublished, unpublishedCount);
    unpublishedCount = 0;
    return out;
  }

  /**
   * The checkpoint bytes; only meaningful right after a step (no partly filled batch). The caller
   * clears the journal with it, so inputs after it start a new chunk.
   */
  byte[] checkpoint() {
    if (assembler.pendingCount() != 0) {
      throw new IllegalStateException("checkpoint with a partly filled batch would lose events");
    }
    journal = newJournal(journal.nextSeq());
    return new LearnerCheckpoint(
            learner.saveState(),
            journal.nextSeq(),
            rejected,
            newestEventTimestamp,
            lastSnapshotEventTime,
            inputOffsets,
            evaluationState())
        .encode();
  }

  private byte[] evaluationState() {
    try {
      var bytes = new ByteArrayOutputStream();
      var out = new DataOutputStream(bytes);
      quality.writeState(out);
      gate.writeState(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  io.mtlstream.metrics.TrainingReport report() {
    Map<String, Map<String, Double>> q = new LinkedHashMap<>();
    ModelSpec spec = learner.spec();
    for (int i = 0; i < spec.taskCount(); i++) {
      TaskQuality t = quality.quality(i);
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("events", (double) t.events());
      m.put("loss", t.loss());
      m.put("accuracy", t.accuracy());
      m.put("auc", t.auc());
      m.put("mae", t.mae());
      q.put(spec.task(i).name(), m);
    }
    return reports.build(new TreeMap<>(mergedRejections()), q, gate.counts());
  }

  /** The current prequential quality of a task. */
  TaskQuality quality(int task) {
    return quality.quality(task);
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
