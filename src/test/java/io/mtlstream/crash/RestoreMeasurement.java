package io.mtlstream.crash;

import io.mtlstream.metrics.TrainingReport;
import io.mtlstream.runtime.config.MtlKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;

/**
 * Restore of a large learner state after SIGKILL; see {@link RecoveryMeasurements}. The model has
 * trunk 1024-1024-1024 on 250 inputs and two 100-output towers: 2,561,224 parameters (10.2 MB),
 * about 30.7 MB of checkpoint with the Adam moments. The learner is killed twice, after 2 and after
 * 5 checkpoints, and restarted on the same state dir (exactly-once wipes the local state of a
 * killed instance, so each restart restores from the changelogs).
 */
final class RestoreMeasurement {

  private static final int STEPS = 60;
  private static final int CHECKPOINT_EVERY = 10;

  private RestoreMeasurement() {}

  static void run(String bootstrap, Path work) throws InterruptedException {
    String runId = "restore";
    Map<String, String> s = CrashSettings.of(bootstrap, runId, work.resolve(runId));
    s.put(MtlKeys.MODEL_TRUNK.key(), "1024,1024,1024");
    s.put(MtlKeys.CHECKPOINT_EVERY.key(), Integer.toString(CHECKPOINT_EVERY));
    s.put(MtlKeys.SNAPSHOT_EVERY.key(), "0");
    s.put("group.instance.id", "restore-learner");
    CrashSettings.provision(s);
    ToyInput.of("default", 9, STEPS * CrashSettings.BATCH, 0).sendAll(bootstrap);
    Duration timeout = RecoveryMeasurements.timeout();
    try (LearnerGroup learners = new LearnerGroup(work);
        CommittedReports reports =
            new CommittedReports(bootstrap, CrashSettings.metricsTopic(runId))) {
      LearnerProcess p = learners.start(runId + "-0", s);
      int n = 0;
      for (long killAt : new long[] {25, 55}) {
        LearnerProcess running = p;
        reports.awaitStep("default", killAt, timeout, running);
        p.kill();
        reports.catchUp();
        long step = reports.step("default");
        System.out.printf(
            "[measure] SIGKILL at committed step %d; checkpoint changelog %.1f MB%n",
            step, changelogMegabytes(bootstrap, runId));
        LocalTime started = LocalTime.now();
        long t0 = System.nanoTime();
        p = learners.start(runId + "-" + ++n, s);
        LearnerProcess restarted = p;
        reports.awaitStep("default", step + 1, timeout, restarted);
        System.out.printf(
            "[measure] restart %d: first report %d ms after process start%n%s%n",
            n, (System.nanoTime() - t0) / 1_000_000, timeline(restarted.logLines(), started));
      }
      LearnerProcess last = p;
      reports.awaitStep("default", STEPS, timeout, last);
      p.terminate(Duration.ofSeconds(30));
      System.out.println("[measure] " + stepTimes(reports.of("default")));
    }
  }

  /** Restore and load events of a restarted learner, in ms since its start. */
  private static String timeline(List<String> log, LocalTime started) {
    List<String> out = new ArrayList<>();
    for (String line : log) {
      if (line.contains("Finished restoring")
          || line.contains("End offset for changelog")
          || line.contains("REBALANCING to RUNNING")
          || line.contains("journaled inputs")) {
        long ms = Duration.between(started, LocalTime.parse(line.substring(0, 12))).toMillis();
        String what =
            line.substring(line.indexOf(" - ") + 3).replaceAll("stream-client \\[.*?\\] ", "");
        what = what.replaceAll("state-updater \\[.*?\\] ", "");
        out.add(String.format("    +%6d ms  %s", ms, what));
      }
    }
    return String.join("\n", out);
  }

  /** Bytes of the checkpoint store's changelog on the broker. */
  private static double changelogMegabytes(String bootstrap, String runId) {
    String topic = runId + "-mtl-learner-checkpoints-changelog";
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<Integer, Map<String, LogDirDescription>> dirs =
          admin.describeLogDirs(List.of(1)).allDescriptions().get();
      long bytes = 0;
      for (LogDirDescription d : dirs.get(1).values()) {
        for (var e : d.replicaInfos().entrySet()) {
          if (e.getKey().topic().equals(topic)) {
            bytes += e.getValue().size();
          }
        }
      }
      return bytes / 1e6;
    } catch (Exception e) {
      return Double.NaN;
    }
  }

  /**
   * Median wall time between consecutive reports for steps right after a checkpoint and for the
   * others, from the uninterrupted stretches (reports carry their wall-clock time).
   */
  private static String stepTimes(List<TrainingReport> reports) {
    List<Long> plain = new ArrayList<>();
    List<Long> afterCheckpoint = new ArrayList<>();
    for (int i = 1; i < reports.size(); i++) {
      TrainingReport a = reports.get(i - 1);
      TrainingReport b = reports.get(i);
      if (b.step() != a.step() + 1) {
        continue;
      }
      (a.step() % CHECKPOINT_EVERY == 0 ? afterCheckpoint : plain).add(b.ts() - a.ts());
    }
    return "report-to-report ms: plain steps median "
        + median(plain)
        + " "
        + sorted(plain)
        + "; steps after a checkpoint median "
        + median(afterCheckpoint)
        + " "
        + sorted(afterCheckpoint);
  }

  private static long median(List<Long> v) {
    long[] a = v.stream().mapToLong(Long::longValue).sorted().toArray();
    return a.length == 0 ? -1 : a[a.length / 2];
  }

  private static String sorted(List<Long> v) {
    return Arrays.toString(v.stream().mapToLong(Long::longValue).sorted().toArray())
        .lines()
        .collect(Collectors.joining());
  }
}
