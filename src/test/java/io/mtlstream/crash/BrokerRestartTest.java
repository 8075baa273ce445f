package io.mtlstream.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.mtlstream.kafka.EmbeddedKafkaBroker;
import io.mtlstream.metrics.TrainingReport;
import io.mtlstream.snapshot.Snapshot;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away twice mid-run and comes back on the same data dir and port; the learner, a
 * child JVM left alone, must recover by itself and finish with every event trained exactly once, to
 * the weights of an uninterrupted run on the same input. The first outage is short, well within the
 * transaction timeout; the second outlasts it (5 s here), so a transaction left open across it is
 * aborted by the restarted broker and the learner is fenced and rebuilt from its changelogs.
 */
@Timeout(180)
class BrokerRestartTest {

  private static final String MODEL = "default";
  private static final int STEPS = 80;
  private static final long RANDOM_SEED = 77_001L;
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
  private static final int TRANSACTION_TIMEOUT_MS = 5_000;

  private Path data;
  private int port;

  @Test
  void shouldTrainEveryEventOnceAcrossBrokerRestarts(@TempDir Path state) throws Exception {
    Path logs = CrashLogs.dir("broker-restart");
    Random random = new Random(RANDOM_SEED);
    ToyInput input = ToyInput.of(MODEL, 4, STEPS * CrashSettings.BATCH, 499);
    data = state.resolve("broker");
    EmbeddedKafkaBroker broker = newBroker().start();
    try {
      String bootstrap = broker.bootstrapServers();
      port = URI.create("kafka://" + bootstrap).getPort();
      Map<String, String> restarted = CrashSettings.of(bootstrap, "restarted", state.resolve("r"));
      restarted.put("producer.transaction.timeout.ms", Integer.toString(TRANSACTION_TIMEOUT_MS));
      CrashSettings.provision(restarted);

      try (LearnerProcess learner = LearnerProcess.start(logs, "restarted", restarted);
          CommittedReports reports =
              new CommittedReports(bootstrap, CrashSettings.metricsTopic("restarted"))) {
        learner.awaitRunning(RUN_TIMEOUT);
        try (PacedFeed feed = PacedFeed.start(bootstrap, List.of(input), 30, Map.of())) {
          learner.awaitModelLoad(RUN_TIMEOUT);
          Pauses.pause(500 + random.nextInt(2_500)); // fault injection: when the broker stops
          broker = outage(broker, reports, learner, 1_000 + random.nextInt(2_000));
          Pauses.pause(500 + random.nextInt(2_500)); // fault injection: when the broker stops
          broker = outage(broker, reports, learner, 7_000 + random.nextInt(2_000));
          feed.awaitSent(60);
        }
        reports.awaitStep(MODEL, STEPS, RUN_TIMEOUT, learner);
        System.out.printf("[broker-restart] model loads %s%n", ModelLoad.in(learner.logLines()));
        assertThat(learner.isAlive()).as("the learner survived the broker restarts").isTrue();
        learner.terminate(Duration.ofSeconds(30));
        List<TrainingReport> got = reports.of(MODEL);
        RunChecks.assertEachStepReportedOnce(got, STEPS);
        assertThat(got.get(got.size() - 1).events()).isEqualTo(input.validByTask());

        Map<String, String> reference = CrashSettings.of(bootstrap, "ref", state.resolve("ref"));
        CrashSettings.provision(reference);
        Runs.Result ref = Runs.uninterrupted(logs, reference, MODEL, STEPS, RUN_TIMEOUT);
        RunChecks.assertReportsMatch(got, ref.reports());
        List<ModelLoad> loads = ModelLoad.in(learner.logLines());
        RunChecks.assertResumedExactly(loads, got);
        Snapshot snapshot = RunChecks.finalSnapshot(bootstrap, "restarted", MODEL);
        RunChecks.assertSameModelAsReference(got, ref.reports(), snapshot, ref.snapshot());
        assertThat(snapshot.manifest().trainedEvents()).isEqualTo(input.validByTask());
        assertThat(Runs.countCommitted(bootstrap, CrashSettings.deadLetterTopic("restarted")))
            .isEqualTo(input.invalid());
      }
    } finally {
      broker.close();
    }
  }

  private EmbeddedKafkaBroker newBroker() {
    return EmbeddedKafkaBroker.builder()
        .optDataDir(data)
        .optPort(port)
        // Abort timed-out transactions within a second of their timeout (default: 10 s checks).
        .optProperty("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000")
        .build();
  }

  /** Stops the broker, keeps it down for {@code downMillis}, restarts it; reports the recovery. */
  private EmbeddedKafkaBroker outage(
      EmbeddedKafkaBroker broker, CommittedReports reports, LearnerProcess learner, long downMillis)
      throws InterruptedException {
    reports.catchUp();
    long before = reports.step(MODEL);
    broker.close();
    Pauses.pause(downMillis); // fault injection: how long the broker stays down
    EmbeddedKafkaBroker back = newBroker().start();
    long t0 = System.nanoTime();
    reports.awaitStep(MODEL, before + 1, RUN_TIMEOUT, learner);
    System.out.printf(
        "[broker-restart] down %d ms at committed step %d; next step committed %d ms after"
            + " the broker was back (learner log: %d model loads)%n",
        downMillis,
        before,
        (System.nanoTime() - t0) / 1_000_000,
        ModelLoad.in(learner.logLines()).size());
    return back;
  }
}
