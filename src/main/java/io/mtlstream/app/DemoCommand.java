package io.mtlstream.app;

import io.mtlstream.generate.EventPublisher;
import io.mtlstream.generate.ToyEventSource;
import io.mtlstream.kafka.EmbeddedKafkaBroker;
import io.mtlstream.metrics.TrainingReport;
import io.mtlstream.runtime.LearnerApp;
import io.mtlstream.runtime.config.MtlConfig;
import io.mtlstream.runtime.config.MtlKeys;
import io.mtlstream.runtime.config.Settings;
import io.mtlstream.snapshot.Snapshot;
import io.mtlstream.snapshot.SnapshotTopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mtlstream demo}: the whole pipeline in one process — a real KRaft broker on 127.0.0.1, the
 * paper's synthetic tasks streamed into per-task topics, the learner, live progress from the report
 * topic, and a snapshot read back and verified at the end.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Runs broker + synthetic generator + learner in-process (no Kafka needed) and prints the"
            + " task weights as GradNorm moves them.")
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--steps", defaultValue = "300", description = "stop after N training steps")
  long steps;

  @Option(names = "--sigmas", split = ",", defaultValue = "1,100", description = "task scales")
  double[] sigmas;

  @Option(names = "--batch", defaultValue = "100")
  int batch;

  @Option(names = "--balancer", defaultValue = "gradnorm")
  String balancer;

  @Option(names = "--alpha", defaultValue = "0.12", description = "GradNorm α (paper's toy: 0.12)")
  double alpha;

  @Option(names = "--report-every", defaultValue = "10")
  int reportEvery;

  @Option(names = "--timeout-seconds", defaultValue = "900")
  long timeoutSeconds;

  @Option(names = "--set", description = "extra KEY=VALUE settings (repeatable)")
  Map<String, String> extra = Map.of();

  @Override
  public Integer call() throws Exception {
    Path state = Files.createTempDirectory("mtl-demo-state");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
      String bootstrap = broker.bootstrapServers();
      System.out.println("broker    " + bootstrap + " (in-process KRaft, 127.0.0.1 only)");
      MtlConfig config = MtlConfig.load(null, Map.of(), settings(bootstrap, state));
      // Before anything loads the engine: the broker does not.
      NativeDefaults.learnerThreadsDefault(Settings.model(config));
      List<String> tasks = new ArrayList<>();
      for (int i = 0; i < sigmas.length; i++) {
        tasks.add("task" + i);
      }
      System.out.printf(
          Locale.ROOT,
          "tasks     %s with σ = %s; %s should raise the weight of small-σ tasks%n",
          tasks,
          java.util.Arrays.toString(sigmas),
          balancer);
      try (LearnerApp app = new LearnerApp(config).start();
          ReportFollower reports = new ReportFollower(bootstrap, "mtl.metrics")) {
        app.metricsUrl().ifPresent(url -> System.out.println("metrics   " + url + " (Prometheus)"));
        Thread generator = startGenerator(bootstrap, tasks);
        TrainingReport last = follow(reports);
        generator.interrupt();
        generator.join(10_000);
        if (last == null || last.step() < steps) {
          System.out.println("timed out before step " + steps);
          return 1;
        }
        System.out.println(
            "gate      "
                + last.snapshots()
                + " (a due snapshot is held back while a task's test-then-train loss is"
                + " >10% above the last published one)");
      }
      printSnapshot(bootstrap);
      return 0;
    }
  }

  private Map<String, String> settings(String bootstrap, Path state) {
    Map<String, String> s = new HashMap<>();
    s.put("bootstrap.servers", bootstrap);
    s.put("application.id", "mtl-demo");
    s.put("state.dir", state.toString());
    s.put(MtlKeys.MODEL_INPUTS.key(), "250");
    s.put(MtlKeys.MODEL_TRUNK.key(), "100,100,100,100");
    StringBuilder names = new StringBuilder();
    for (int i = 0; i < sigmas.length; i++) {
      names.append(i == 0 ? "" : ",").append("task").append(i);
      s.put(MtlKeys.task("task" + i, MtlKeys.TASK_TYPE), "regression");
      s.put(MtlKeys.task("task" + i, MtlKeys.TASK_OUTPUTS), "100");
    }
    s.put(MtlKeys.TASKS.key(), names.toString());
    s.put(MtlKeys.BATCH_SIZE.key(), Integer.toString(batch));
    s.put(MtlKeys.BALANCER.key(), balancer);
    s.put(MtlKeys.ALPHA.key(), Double.toString(alpha));
    s.put(MtlKeys.REPORT_EVERY.key(), Integer.toString(reportEvery));
    s.put(MtlKeys.SNAPSHOT_EVERY.key(), "50");
    s.put(MtlKeys.CHECKPOINT_EVERY.key(), "50");
    s.putAll(extra);
    return s;
  }

  /** Streams exactly the events the requested steps need, as fast as the broker takes them. */
  private Thread startGenerator(String bootstrap, List<String> tasks) {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try (ToyEventSource source =
                      ToyEventSource.builder().setSigmas(sigmas).optTaskNames(tasks).build();
                  EventPublisher publisher =
                      EventPublisher.builder()
                          .setProducer(EventPublisher.newProducer(bootstrap, Map.of()))
                          .setSource(source)
                          .build()) {
                publisher.run(steps * batch);
              } catch (RuntimeException e) {
                failure.set(e);
              }
            },
            "mtl-demo-generator");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private TrainingReport follow(ReportFollower reports) {
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    AtomicReference<TrainingReport> last = new AtomicReference<>();
    while (System.nanoTime() < deadline && (last.get() == null || last.get().step() < steps)) {
      reports.poll(
          Duration.ofMillis(500),
          r -> {
            last.set(r);
            System.out.println(ProgressLine.of(r));
          });
    }
    return last.get();
  }

  private static void printSnapshot(String bootstrap) {
    try (SnapshotTopicReader reader =
        new SnapshotTopicReader(bootstrap, SnapshotTopicReader.DEFAULT_TOPIC, Map.of())) {
      Optional<Snapshot> snap = reader.readLatest("default", Duration.ofSeconds(30));
      if (snap.isPresent()) {
        var m = snap.get().manifest();
        System.out.printf(
            Locale.ROOT,
            "snapshot  model=%s step=%d weights=%s sha256=%s… verified%n",
            m.modelId(),
            m.step(),
            m.taskWeights(),
            snap.get().sha256Hex().substring(0, 16));
      } else {
        System.out.println("snapshot  none published yet");
      }
    }
  }
}
