package io.mtlstream.crash;

import io.mtlstream.kafka.TopicProvisioner;
import io.mtlstream.runtime.config.MtlConfig;
import io.mtlstream.runtime.config.MtlKeys;
import io.mtlstream.runtime.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The learner settings of the crash tests: toy tasks (σ = 1, 100) read from one mixed topic, so
 * that one partition gives one total order of events; a small model; a checkpoint every 7 steps, so
 * that kills land between checkpoints and the journal is replayed; a report every step, so that
 * exactly-once output can be checked step by step. Every run (application id) has its own output
 * topics, so runs on one broker can be compared. Stateless.
 */
final class CrashSettings {

  static final String MIXED_TOPIC = "mtl.events.all";
  static final List<String> TASKS = List.of("task0", "task1");
  static final double[] SIGMAS = {1, 100};
  static final int BATCH = 50;
  static final int CHECKPOINT_EVERY = 7;

  private CrashSettings() {}

  /** Settings of run {@code runId}: its application id, state dir and output topics. */
  static Map<String, String> of(String bootstrap, String runId, Path stateDir) {
    Map<String, String> s = new HashMap<>();
    s.put("bootstrap.servers", bootstrap);
    s.put("application.id", runId);
    s.put("state.dir", stateDir.toString());
    s.put(MtlKeys.MODEL_INPUTS.key(), "250");
    s.put(MtlKeys.MODEL_TRUNK.key(), "100,100,100,100");
    s.put(MtlKeys.TASKS.key(), String.join(",", TASKS));
    for (String t : TASKS) {
      s.put(MtlKeys.task(t, MtlKeys.TASK_TYPE), "regression");
      s.put(MtlKeys.task(t, MtlKeys.TASK_OUTPUTS), "100");
    }
    s.put(MtlKeys.DEVICE.key(), "cpu");
    s.put(MtlKeys.SEED.key(), "11");
    s.put(MtlKeys.ALPHA.key(), "0.12");
    s.put(MtlKeys.BATCH_SIZE.key(), Integer.toString(BATCH));
    s.put(MtlKeys.REPORT_EVERY.key(), "1");
    s.put(MtlKeys.SNAPSHOT_EVERY.key(), "10");
    s.put(MtlKeys.CHECKPOINT_EVERY.key(), Integer.toString(CHECKPOINT_EVERY));
    s.put(MtlKeys.TOPIC_MIXED.key(), MIXED_TOPIC);
    s.put(MtlKeys.TOPIC_METRICS.key(), metricsTopic(runId));
    s.put(MtlKeys.TOPIC_SNAPSHOTS.key(), snapshotsTopic(runId));
    s.put(MtlKeys.TOPIC_DLQ.key(), deadLetterTopic(runId));
    // Several learners run at once here; none needs the Prometheus endpoint (default port 9400).
    s.put(MtlKeys.METRICS_PORT.key(), "0");
    return s;
  }

  static String metricsTopic(String runId) {
    return runId + ".metrics";
  }

  static String snapshotsTopic(String runId) {
    return runId + ".snapshots";
  }

  static String deadLetterTopic(String runId) {
    return runId + ".dlq";
  }

  /** Creates the run's topics as the learner would (the input must exist before it starts). */
  static void provision(Map<String, String> settings) {
    MtlConfig config = MtlConfig.load(null, Map.of(), settings);
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.get("bootstrap.servers")))) {
      new TopicProvisioner(admin, Duration.ofSeconds(30)).provision(Settings.topicSpecs(config));
    }
  }
}
