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
   * The learner state in each report (step, trained events, task weights, rejections) equals the
   * reference run's, step by step.
   */
  static void assertReportsMatch(List<TrainingReport> actual, List<TrainingReport> reference) {
    assertThat(actual).hasSameSizeAs(reference);
    for (int i = 0; i < actual.size(); i++) {
      TrainingReport a = actual.get(i);
      TrainingReport r = reference.get(i);
      assertThat(a.step()).isEqualTo(r.step());
      assertThat(a.events()).as("trained events at step %d", a.step()).isEqualTo(r.events());
      assertThat(a.weights()).as("task weights at step %d", a.step()).isEqualTo(r.weights());
      assertThat(a.rejected()).as("rejections at step %d", a.step()).isEqualTo(r.rejected());
    }
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
