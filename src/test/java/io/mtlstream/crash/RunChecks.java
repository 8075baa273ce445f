package io.mtlstream.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.mtlstream.metrics.TrainingReport;
import io.mtlstream.snapshot.Snapshot;
import io.mtlstream.snapshot.SnapshotManifest;
import io.mtlstream.snapshot.SnapshotTopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/** Assertions shared by the crash tests: exactly-once output and bit-identical learner state. */
final class RunChecks {

  private RunChecks() {}

  /** The latest committed snapshot of {@code model} on run {@code runId}'s snapshot topic. */
  static Snapshot finalSnapshot(String bootstrap, String runId, String model) {
    try (SnapshotTopicReader reader =
        new SnapshotTopicReader(bootstrap, CrashSettings.snapshotsTopic(runId), Map.of())) {
      return reader
          .readLatest(model, Duration.ofSeconds(30))
          .orElseThrow(() -> new AssertionError("no snapshot of " + model + " on run " + runId));
    }
  }

  /** Each step 1..steps reported exactly once, in order: nothing lost, nothing published twice. */
  static void assertEachStepReportedOnce(List<TrainingReport> reports, long steps) {
    assertThat(reports.stream().mapToLong(TrainingReport::step).toArray())
        .as("committed report steps of %s", reports.isEmpty() ? "?" : reports.get(0).model())
        .containsExactly(LongStream.rangeClosed(1, steps).toArray());
  }

  /**
   * Exactly-once accounting, step by step: each report's step, trained events and rejections equal
   * the reference run's. None of these depends on floating-point results, so a mismatch here is
   * lost or repeated work, never numerics.
   */
  static void assertReportsMatch(List<TrainingReport> actual, List<TrainingReport> reference) {
    assertThat(actual).hasSameSizeAs(reference);
    String model = actual.isEmpty() ? "?" : actual.get(0).model();
    for (int i = 0; i < actual.size(); i++) {
      TrainingReport a = actual.get(i);
      TrainingReport r = reference.get(i);
      long step = a.step();
      assertThat(step).isEqualTo(r.step());
      assertThat(a.events())
          .as("trained events of %s at step %d", model, step)
          .isEqualTo(r.events());
      assertThat(a.rejected())
          .as("rejections of %s at step %d", model, step)
          .isEqualTo(r.rejected());
    }
  }

  /**
   * The first step whose task weights or mean losses differ from the reference run's, or -1 if the
   * two runs stayed bit-identical. The losses of step k come from the parameters after step k − 1,
   * and the weights of step k from its gradients, so this is the first step that ran on different
   * state.
   */
  static long firstDivergence(List<TrainingReport> actual, List<TrainingReport> reference) {
    for (int i = 0; i < Math.min(actual.size(), reference.size()); i++) {
      TrainingReport a = actual.get(i);
      TrainingReport r = reference.get(i);
      if (!a.weights().equals(r.weights()) || !a.losses().equals(r.losses())) {
        return a.step();
      }
    }
    return -1;
  }

  /**
   * Every restored learner resumed exactly where the committed reports left it: its task weights
   * right after the load (checkpoint plus replayed journal) are those of the committed report of
   * the same step, written by the instance that trained that step before the crash or kill. This
   * checks recovery against the run itself, so it holds whatever the floating-point history was.
   * Loads of models other than the reports' are skipped.
   */
  static void assertResumedExactly(List<ModelLoad> loads, List<TrainingReport> reports) {
    for (ModelLoad load : loads) {
      boolean ofThisModel = reports.stream().anyMatch(r -> r.model().equals(load.model()));
      if (!ofThisModel || load.step() == 0 || (!load.restored() && load.replayed() == 0)) {
        continue;
      }
      TrainingReport at =
          reports.stream()
              .filter(r -> r.model().equals(load.model()) && r.step() == load.step())
              .findFirst()
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "no committed report of step " + load.step() + ": " + load));
      assertThat(load.weights())
          .as("task weights of %s resumed at step %d (%s)", load.model(), load.step(), load)
          .containsExactlyElementsOf(at.weights().values());
    }
  }

  /**
   * A recovered run ends bit-identical to its uninterrupted reference: no step's weights or losses
   * differ, and the final snapshots hold the same model. (A rare drift here once came from a scalar
   * the autograd graph read after garbage collection had freed it; see GraphScalars.)
   */
  static void assertSameModelAsReference(
      List<TrainingReport> actual,
      List<TrainingReport> reference,
      Snapshot snapshot,
      Snapshot referenceSnapshot) {
    assertThat(firstDivergence(actual, reference))
        .as(
            "first step of %s whose weights or losses differ from the reference run's",
            snapshot.manifest().modelId())
        .isEqualTo(-1);
    assertSameModel(snapshot, referenceSnapshot);
  }

  /** Steps whose reported mean losses differ from the reference's (report accuracy only). */
  static List<Long> stepsWithDifferentLosses(
      List<TrainingReport> actual, List<TrainingReport> reference) {
    List<Long> steps = new ArrayList<>();
    for (int i = 0; i < Math.min(actual.size(), reference.size()); i++) {
      if (!actual.get(i).losses().equals(reference.get(i).losses())) {
        steps.add(actual.get(i).step());
      }
    }
    return steps;
  }

  /** Same model, bit for bit: parameters, weights, step, trained events, newest event time. */
  static void assertSameModel(Snapshot actual, Snapshot reference) {
    SnapshotManifest a = actual.manifest();
    SnapshotManifest r = reference.manifest();
    assertThat(a.step()).as("step").isEqualTo(r.step());
    assertThat(a.trainedEvents()).as("trained events").isEqualTo(r.trainedEvents());
    assertThat(a.newestEventTimestamp()).isEqualTo(r.newestEventTimestamp());
    assertThat(a.taskWeights()).as("task weights").isEqualTo(r.taskWeights());
    float[] pa = actual.parameters();
    float[] pr = reference.parameters();
    assertThat(pa).hasSameSizeAs(pr);
    int differing = 0;
    double maxAbs = 0;
    for (int i = 0; i < pa.length; i++) {
      if (Float.floatToRawIntBits(pa[i]) != Float.floatToRawIntBits(pr[i])) {
        differing++;
        maxAbs = Math.max(maxAbs, Math.abs((double) pa[i] - pr[i]));
      }
    }
    assertThat(differing)
        .as(
            "parameters differing from the uninterrupted run: %d of %d, max abs difference %g",
            differing, pa.length, maxAbs)
        .isZero();
  }

  /** The last {@code n} lines of a learner's log, for failure messages. */
  static String tail(LearnerProcess p, int n) {
    List<String> lines = p.logLines();
    return "--- "
        + p
        + ", last lines:\n"
        + String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
  }
}
