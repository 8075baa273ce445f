package io.mtlstream.crash;

import io.mtlstream.kafka.EmbeddedKafkaBroker;
import io.mtlstream.metrics.TrainingReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Measurements for the closing note, not assertions: run by hand with the test class path,
 *
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.includeScope=test \
 *     -Dmdep.outputFile=cp.txt
 * java -Dorg.slf4j.simpleLogger.log.kafka.server.ReplicaManager=off \
 *     -cp target/test-classes:target/classes:$(cat cp.txt) \
 *     io.mtlstream.crash.RecoveryMeasurements [throughput|restore|all]
 * </pre>
 *
 * <p>The learners run in child JVMs with the crash tests' settings ({@link LearnerProcess}); the
 * figures are wall-clock and depend on what else the machine runs.
 *
 * <ul>
 *   <li>{@code throughput}: the same input trained under {@code exactly_once_v2} and {@code
 *       at_least_once}, side by side: wall time to the last step and events/s between reports.
 *   <li>{@code restore}: a ~10 MB-parameter model killed with SIGKILL after several checkpoints,
 *       restarted: time from process start to the first committed report, and what Streams
 *       restored.
 * </ul>
 */
public final class RecoveryMeasurements {

  private RecoveryMeasurements() {}

  public static void main(String[] args) throws Exception {
    String what = args.length > 0 ? args[0] : "all";
    Path work = Files.createTempDirectory("mtl-measure-");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
      if (what.equals("throughput") || what.equals("all")) {
        ThroughputMeasurement.run(broker.bootstrapServers(), work);
      }
      if (what.equals("restore") || what.equals("all")) {
        RestoreMeasurement.run(broker.bootstrapServers(), work);
      }
    }
    System.exit(0);
  }

  /** Events per second between the first and the last of {@code reports}. */
  static double eventsPerSecond(List<TrainingReport> reports) {
    TrainingReport first = reports.get(0);
    TrainingReport last = reports.get(reports.size() - 1);
    long events = sum(last.events()) - sum(first.events());
    return events * 1000.0 / Math.max(1, last.ts() - first.ts());
  }

  static long sum(Map<String, Long> byTask) {
    return byTask.values().stream().mapToLong(Long::longValue).sum();
  }

  static Duration timeout() {
    return Duration.ofMinutes(10);
  }
}
