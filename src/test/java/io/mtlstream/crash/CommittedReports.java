package io.mtlstream.crash;

import io.mtlstream.metrics.TrainingReport;
import io.mtlstream.metrics.TrainingReportCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Every committed training report of one run, in topic order: a {@code read_committed} consumer of
 * the run's metrics topic (one partition), so reports of aborted transactions never show. The
 * report stream is the test's view of progress and of exactly-once output: with a report every
 * step, a run that neither loses nor repeats work commits the report of each step exactly once.
 *
 * <p>Owns its consumer; use from one thread.
 */
final class CommittedReports implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicPartition partition;
  private final List<TrainingReport> reports = new ArrayList<>();
  private final Map<String, TrainingReport> latest = new HashMap<>();

  CommittedReports(String bootstrap, String topic) {
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
                false),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    partition = new TopicPartition(topic, 0);
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
  }

  /** Polls once, waiting up to {@code wait} for new reports. */
  void poll(Duration wait) {
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(wait)) {
      TrainingReport report = TrainingReportCodec.decode(r.value());
      reports.add(report);
      latest.merge(report.model(), report, (a, b) -> b.step() >= a.step() ? b : a);
    }
  }

  /**
   * Reads every report committed so far: up to the last stable offset as of now. After a learner
   * was killed, this is exactly what it committed.
   */
  void catchUp() {
    long end = consumer.endOffsets(List.of(partition)).get(partition);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (consumer.position(partition) < end) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("could not read " + partition + " to offset " + end + " in 30 s");
      }
      poll(Duration.ofMillis(100));
    }
  }

  /** The highest committed step of {@code model}; 0 before its first report. */
  long step(String model) {
    TrainingReport r = latest.get(model);
    return r == null ? 0 : r.step();
  }

  /** The reports of {@code model}, in commit order. */
  List<TrainingReport> of(String model) {
    return reports.stream().filter(r -> r.model().equals(model)).toList();
  }

  /**
   * Polls until {@code model} committed step {@code step} or more, trained by {@code learner}.
   *
   * @throws AssertionError with the learner's log tail after {@code timeout}, or at once if the
   *     learner died
   */
  void awaitStep(String model, long step, Duration timeout, LearnerProcess learner) {
    awaitStep(
        model,
        step,
        timeout,
        () -> !learner.isAlive(),
        () -> (learner.isAlive() ? "" : "learner died\n") + RunChecks.tail(learner, 40));
  }

  /**
   * Polls until {@code model} committed step {@code step} or more.
   *
   * @param diagnostics what to show when the deadline passes (e.g. the learner's log tail)
   * @throws AssertionError after {@code timeout}
   */
  void awaitStep(String model, long step, Duration timeout, Supplier<String> diagnostics) {
    awaitStep(model, step, timeout, () -> false, diagnostics);
  }

  private void awaitStep(
      String model,
      long step,
      Duration timeout,
      BooleanSupplier hopeless,
      Supplier<String> diagnostics) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (step(model) < step) {
      if (System.nanoTime() - deadline > 0 || hopeless.getAsBoolean()) {
        throw new AssertionError(
            "model '"
                + model
                + "' reached committed step "
                + step(model)
                + ", not "
                + step
                + ", within "
                + timeout
                + "\n"
                + lastReport(model)
                + diagnostics.get());
      }
      poll(Duration.ofMillis(100));
    }
  }

  /**
   * What the model's last committed report says it trained and rejected: tells a lost or
   * never-consumed input (events short) from a rejected step (a rejection counted) when a run
   * stalls.
   */
  private String lastReport(String model) {
    TrainingReport r = latest.get(model);
    return r == null
        ? "no committed report of '" + model + "'\n"
        : "last committed report of '"
            + model
            + "': step "
            + r.step()
            + ", trained events "
            + r.events()
            + ", rejected "
            + r.rejected()
            + "\n";
  }

  @Override
  public void close() {
    consumer.close();
  }
}
