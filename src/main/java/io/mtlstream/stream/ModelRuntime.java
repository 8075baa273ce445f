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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model's learner inside the stream: batches its events, trains, and says when a report, a
 * snapshot or a checkpoint is due. Publishing and storage belong to {@link LearnerProcessor}; this
 * class holds no Kafka types. Owns its {@link MultiTaskLearner}; one stream thread drives it (its
 * quiet steps may run on a {@link TrainerThread}, see {@link #accept}).
 */
final class ModelRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ModelRuntime.class);

  /**
   * What one event caused: the steps whose results came in, in step order (none; or with background
   * steps up to {@link #IN_FLIGHT} that ran behind the stream thread, then this event's own), which
   * outputs are due, and — when a due snapshot was held back by the quality gate — why; for the
   * meters, whether the snapshot was forced out despite a regression.
   */
  record Effect(
      List<Trained> trained,
      boolean report,
      boolean snapshot,
      String heldBack,
      boolean checkpoint,
      boolean forced) {
    static final Effect NONE = new Effect(List.of(), false, false, null, false, false);

    Effect {
      trained = List.copyOf(trained);
    }

    boolean stepped() {
      return !trained.isEmpty();
    }
  }

  /**
   * A step whose result is in, with its duration, the learner's trained-event counts right after it
   * and whether it ran on the trainer thread: what the step meters record.
   */
  record Trained(StepResult result, long nanos, long[] trainedEvents, boolean background) {}

  /** A step running on the trainer thread, and the batch it trains. */
  private record Running(MiniBatch batch, Future<Timed> result) {}

  private record Timed(StepResult result, long nanos, long[] trainedEvents) {}

  /**
   * Two: the trainer thread then finds the next batch queued when it finishes one, instead of
   * sleeping until the stream thread has woken up (on a busy machine each of those hand-offs took ≈
   * 0.5 ms of scheduling), and the stream thread waits only when it is a whole batch ahead.
   */
  static final int IN_FLIGHT = 2;

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
  private final TrainerThread trainer;

  /**
   * Quiet steps handed to the trainer thread and not yet collected, oldest first; at most {@link
   * #IN_FLIGHT}.
   */
  private final ArrayDeque<Running> running = new ArrayDeque<>();

  /** The learner's accepted-step count after the last collected step (the stream thread's view). */
  private long stepsCollected;

  private static final int MAX_UNPUBLISHED = 1 << 20;
  private long[] unpublished = new long[64];
  private int unpublishedCount;

  private ModelRuntime(
      String modelId,
      StreamSettings settings,
      MultiTaskLearner learner,
      LearnerCheckpoint from,
      TrainerThread trainer) {
    this.modelId = modelId;
    this.trainer = trainer;
    this.stepsCollected = learner.steps();
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

  /**
   * @param trainer where quiet steps run while the stream thread goes on; null runs every step on
   *     the caller's thread
   */
  static ModelRuntime fresh(String modelId, StreamSettings settings, TrainerThread trainer) {
    return new ModelRuntime(
        modelId, settings, MultiTaskLearner.create(settings.learner()), null, trainer);
  }

  static ModelRuntime restore(
      String modelId, StreamSettings settings, byte[] checkpoint, TrainerThread trainer) {
    LearnerCheckpoint c = LearnerCheckpoint.decode(checkpoint);
    return new ModelRuntime(
        modelId,
        settings,
        MultiTaskLearner.restore(settings.learner(), c.learnerState()),
        c,
        trainer);
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

  /**
   * Adds a validated event; trains when the batch is full.
   *
   * <p>With a {@link TrainerThread}, a <em>quiet</em> step — one after which nothing is due: no
   * report, snapshot or checkpoint — is queued there, and this returns at once; the stream thread
   * reads, decodes and journals the next batches meanwhile. With {@link #IN_FLIGHT} steps queued,
   * the next one first waits for the oldest; a step with outputs (or {@link #settle()}) waits for
   * all of them and then runs, still on the trainer, while this waits for it. Steps are collected
   * and scored in their order, so the scoring and every decision that reads it match a synchronous
   * run and the state stays bit-identical. Exactly-once holds because a quiet step has no outputs:
   * a commit taken while steps run records their inputs in the journal and nothing else, and a
   * replay after a crash recomputes the same steps.
   */
  Effect accept(LabeledEvent event) {
    newestEventTimestamp = Math.max(newestEventTimestamp, event.timestamp());
    recordUnpublished(event.timestamp());
    MiniBatch batch = assembler.add(event);
    if (batch == null) {
      return Effect.NONE;
    }
    List<Trained> collected = new ArrayList<>(IN_FLIGHT + 1);
    if (trainer != null && quietWhicheverStepItIs()) {
      Running oldest = running.size() == IN_FLIGHT ? running.removeFirst() : null;
      Timed oldestDone = oldest == null ? null : TrainerThread.await(oldest.result());
      running.addLast(new Running(batch, trainer.submit(() -> timedStep(batch))));
      // Scored after the hand-off, so the trainer never waits for the scoring; it reads only the
      // collected step's own result and batch.
      if (oldest != null) {
        collected.add(scored(oldest.batch(), oldestDone, true));
      }
      return collected.isEmpty() ? Effect.NONE : trainedOnly(collected);
    }
    collectAll(collected);
    // On the trainer too, so that no other thread keeps OpenMP workers (see NativeThread).
    Timed timed =
        trainer == null
            ? timedStep(batch)
            : TrainerThread.await(trainer.submit(() -> timedStep(batch)));
    collected.add(scored(batch, timed, false));
    long step = learner.steps();
    boolean applied = timed.result().accepted();
    boolean due =
        applied
            && (settings.snapshotEverySteps() > 0 && step % settings.snapshotEverySteps() == 0
                || snapshotDueByEventTime());
    SnapshotGate.Decision decision = due ? gate.decide(prequentialLosses()) : null;
    boolean snapshot = decision != null && decision.publish();
    if (due) {
      lastSnapshotEventTime = newestEventTimestamp;
    }
    return new Effect(
        collected,
        applied && step % settings.reportEverySteps() == 0,
        snapshot,
        decision != null && !decision.publish() ? decision.reason() : null,
        applied && step % settings.checkpointEverySteps() == 0,
        snapshot && decision.reason() != null);
  }

  /**
   * Waits for the steps running on the trainer thread and scores them; what they trained, or {@link
   * Effect#NONE}. For when no further event may come soon (idle input, the end of a replay) and
   * before anything reads the learner from outside.
   */
  Effect settle() {
    List<Trained> collected = new ArrayList<>(IN_FLIGHT);
    collectAll(collected);
    return collected.isEmpty() ? Effect.NONE : trainedOnly(collected);
  }

  private void collectAll(List<Trained> into) {
    while (!running.isEmpty()) {
      Running r = running.removeFirst();
      into.add(scored(r.batch(), TrainerThread.await(r.result()), true));
    }
  }

  /**
   * Whether the next step leaves nothing to publish or store, whatever its number: with steps in
   * flight it is known only within a range, because a rejected step does not count.
   */
  private boolean quietWhicheverStepItIs() {
    if (snapshotDueByEventTime()) {
      return false;
    }
    for (long step = stepsCollected + 1; step <= stepsCollected + running.size() + 1; step++) {
      if (step % settings.reportEverySteps() == 0
          || step % settings.checkpointEverySteps() == 0
          || settings.snapshotEverySteps() > 0 && step % settings.snapshotEverySteps() == 0) {
        return false;
      }
    }
    return true;
  }

  private boolean snapshotDueByEventTime() {
    return settings.snapshotEveryMillis() > 0
        && newestEventTimestamp - lastSnapshotEventTime >= settings.snapshotEveryMillis();
  }

  /** One step on the calling thread; the counts are read there, right after it. */
  private Timed timedStep(MiniBatch batch) {
    long started = System.nanoTime();
    StepResult result = learner.step(batch);
    long nanos = System.nanoTime() - started;
    return new Timed(result, nanos, learner.counters().trainedEvents());
  }

  private static Effect trainedOnly(List<Trained> steps) {
    return new Effect(steps, false, false, null, false, false);
  }

  /**
   * The bookkeeping after a step, on the stream thread and in step order: report totals, then
   * test-then-train. Reads only the step's result and batch, never the learner, which may be
   * training the next batch meanwhile.
   */
  private Trained scored(MiniBatch batch, Timed timed, boolean background) {
    StepResult result = timed.result();
    stepsCollected = result.step();
    reports.observe(result, batch.rows());
    if (result.accepted()) {
      score(batch, result);
    } else {
      // Rare and worth a line: the batch's events are counted as rejected, never trained.
      LOG.warn(
          "model '{}': step after {} rejected ({}); its {} events were not trained",
          modelId,
          result.step(),
          result.rejection(),
          batch.rows());
    }
    return new Trained(result, timed.nanos(), timed.trainedEvents(), background);
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
    if (!running.isEmpty()) {
      throw new IllegalStateException("checkpoint while a step is still training");
    }
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

  /** Waits for steps still training (they use the native memory closing frees), then frees it. */
  @Override
  public void close() {
    try {
      for (Running r : running) {
        try {
          TrainerThread.await(r.result());
        } catch (RuntimeException e) {
          LOG.warn("model '{}': a background step failed while closing", modelId, e);
        }
      }
    } finally {
      running.clear();
      learner.close();
    }
  }
}
