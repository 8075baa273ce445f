package io.mtlstream.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.mtlstream.kafka.EmbeddedKafkaBroker;
import io.mtlstream.metrics.TrainingReport;
import io.mtlstream.snapshot.Snapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL the learner at random moments, restart it on the same state dir each time, and let it
 * finish: the result must be the uninterrupted run's, bit for bit (DESIGN.md decisions 3 and 4).
 *
 * <p>The input is a live feed over ~30 s (one partition: one total order). Three processes are
 * killed a random 0–1.5 s after a random committed step (early, middle and late in the run), one a
 * random 0.5–5.5 s after it started, so kills land anywhere: in start-up, state restoration or
 * journal replay, in backlog catch-up or paced training, between records with uncommitted work, in
 * a training step, a checkpoint or a commit. The uninterrupted reference run reads the same feed at
 * the same time in its own JVM.
 */
@Timeout(150)
class CrashRecoveryTest {

  private static final String MODEL = "default";
  private static final int STEPS = 100;
  private static final int KILLS = 4;

  /** This kill comes at a random time after start: in start-up, restoration or replay. */
  private static final int EARLY_KILL = 2;

  /** The others come 0–1.5 s after a random committed step in these ranges, spread over the run. */
  private static final int[][] KILL_STEPS = {{8, 25}, {30, 50}, null, {60, 90}};

  private static final long RANDOM_SEED = 20_240_607L;
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

  @Test
  void shouldResumeToTheUninterruptedWeightsAfterRepeatedSigkill(@TempDir Path state)
      throws Exception {
    Path logs = CrashLogs.dir("crash-recovery");
    ToyInput input = ToyInput.of(MODEL, 3, STEPS * CrashSettings.BATCH, 997);
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
      String bootstrap = broker.bootstrapServers();
      Map<String, String> reference = CrashSettings.of(bootstrap, "ref", state.resolve("ref"));
      Map<String, String> crashed =
          CrashSettings.of(bootstrap, "crashed", state.resolve("crashed"));
      // Static membership: a restarted process takes over its predecessor's place in the group
      // at once, instead of waiting for the dead member's session to time out (45 s).
      crashed.put("group.instance.id", "crashed-learner");
      CrashSettings.provision(reference);
      CrashSettings.provision(crashed);

      try (LearnerGroup learners = new LearnerGroup(logs);
          CommittedReports refReports =
              new CommittedReports(bootstrap, CrashSettings.metricsTopic("ref"));
          CommittedReports reports =
              new CommittedReports(bootstrap, CrashSettings.metricsTopic("crashed"))) {
        LearnerProcess ref = learners.start("ref", reference);
        LearnerProcess first = learners.start("crashed-0", crashed);
        ref.awaitRunning(RUN_TIMEOUT);
        first.awaitRunning(RUN_TIMEOUT);
        // The feed starts once both learners run, so that its ~30 s span the kills.
        try (PacedFeed feed = PacedFeed.start(bootstrap, List.of(input), 30, Map.of())) {
          killRepeatedly(learners, first, crashed, reports);
          feed.awaitSent(60);
        }
        LearnerProcess last = learners.start("crashed-" + KILLS, crashed);
        reports.awaitStep(MODEL, STEPS, RUN_TIMEOUT, last);
        last.terminate(Duration.ofSeconds(30));
        refReports.awaitStep(MODEL, STEPS, RUN_TIMEOUT, ref);
        ref.terminate(Duration.ofSeconds(30));

        List<TrainingReport> got = reports.of(MODEL);
        RunChecks.assertEachStepReportedOnce(got, STEPS);
        RunChecks.assertReportsMatch(got, refReports.of(MODEL));
        TrainingReport end = got.get(got.size() - 1);
        assertThat(end.events()).isEqualTo(input.validByTask());
        assertThat(end.rejected().values().stream().mapToLong(Long::longValue).sum())
            .isEqualTo(input.invalid());
        System.out.printf(
            "[crash] steps whose mean losses differ from the reference: %s%n",
            RunChecks.stepsWithDifferentLosses(got, refReports.of(MODEL)));
        List<ModelLoad> loads = learners.modelLoads();
        System.out.printf("[crash] model loads: %s%n", loads);
        assertThat(loads)
            .as("a restart restored a checkpoint and replayed its journal")
            .anyMatch(l -> l.restored() && l.replayed() > 0);
        RunChecks.assertResumedExactly(loads, got);

        Snapshot snapshot = RunChecks.finalSnapshot(bootstrap, "crashed", MODEL);
        RunChecks.assertSameModelAsReference(
            got, refReports.of(MODEL), snapshot, RunChecks.finalSnapshot(bootstrap, "ref", MODEL));
        assertThat(snapshot.manifest().trainedEvents()).isEqualTo(input.validByTask());
      }
      assertThat(Runs.countCommitted(bootstrap, CrashSettings.deadLetterTopic("crashed")))
          .as("dead-lettered records")
          .isEqualTo(input.invalid());
    }
  }

  /** Starts and SIGKILLs the learner {@link #KILLS} times, each at a random moment. */
  private static void killRepeatedly(
      LearnerGroup learners,
      LearnerProcess first,
      Map<String, String> settings,
      CommittedReports reports)
      throws InterruptedException {
    Random random = new Random(RANDOM_SEED);
    for (int k = 0; k < KILLS; k++) {
      LearnerProcess p = k == 0 ? first : learners.start("crashed-" + k, settings);
      if (k == EARLY_KILL) {
        Pauses.pause(500 + random.nextInt(5_000)); // fault injection: the kill moment
      } else {
        int[] range = KILL_STEPS[k];
        long drawn = range[0] + random.nextInt(range[1] - range[0]);
        // At least a few steps by this process, whatever its predecessors reached.
        long target = Math.min(STEPS - 2, Math.max(drawn, reports.step(MODEL) + 3));
        reports.awaitStep(MODEL, target, RUN_TIMEOUT, p);
        Pauses.pause(random.nextInt(1_500)); // fault injection: the kill moment
      }
      assertThat(p.isAlive()).as("%s alive until killed", p).isTrue();
      p.kill();
      reports.catchUp();
      System.out.printf(
          "[crash] SIGKILL %d after %d ms; committed step %d%n",
          k, p.ageMillis(), reports.step(MODEL));
    }
  }
}
