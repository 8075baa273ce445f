package io.mtlstream.crash;

import io.mtlstream.metrics.TrainingReport;
import io.mtlstream.snapshot.Snapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Whole learner runs and topic counts for the crash tests. */
final class Runs {

  /** What an uninterrupted run committed: its reports and its final snapshot. */
  record Result(List<TrainingReport> reports, Snapshot snapshot, long millis) {}

  private Runs() {}

  /**
   * Runs the learner in one child JVM until {@code model} committed step {@code steps}, then stops
   * it with SIGTERM.
   */
  static Result uninterrupted(
      Path dir, Map<String, String> settings, String model, long steps, Duration timeout) {
    String bootstrap = settings.get("bootstrap.servers");
    String runId = settings.get("application.id");
    long t0 = System.nanoTime();
    try (CommittedReports reports =
            new CommittedReports(bootstrap, CrashSettings.metricsTopic(runId));
        LearnerProcess learner = LearnerProcess.start(dir, runId, settings)) {
      reports.awaitStep(model, steps, timeout, learner);
      long millis = (System.nanoTime() - t0) / 1_000_000;
      learner.terminate(Duration.ofSeconds(30));
      return new Result(
          reports.of(model), RunChecks.finalSnapshot(bootstrap, runId, model), millis);
    }
  }

  /** Records committed on {@code topic} (all partitions), read to the last stable offsets. */
  static long countCommitted(String bootstrap, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> parts =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      long count = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() - deadline > 0) {
          throw new AssertionError("could not read " + topic + " to " + end + " in 30 s");
        }
        count += consumer.poll(Duration.ofMillis(200)).count();
      }
      return count;
    }
  }
}
