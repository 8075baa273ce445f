package io.mtlstream.crash;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.mtlstream.kafka.EmbeddedKafkaBroker;
import io.mtlstream.metrics.TrainingReport;
import io.mtlstream.runtime.config.MtlKeys;
import io.mtlstream.snapshot.Snapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two learner JVMs in one application share two models (one per partition of the by-model
 * repartition topic, with standby replicas); one is killed with SIGKILL mid-run and the other must
 * take over its model from the changelogs and finish both, every event trained exactly once and
 * each model bit-identical to a single uninterrupted instance reading the same feed.
 */
@Timeout(180)
class FailoverTest {

  /** Model ids that the by-model repartitioning puts on different partitions of 2 (see below). */
  private static final List<String> MODELS = List.of("tenant-a", "tenant-b");

  private static final int STEPS = 60;
  private static final long RANDOM_SEED = 5_150L;
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);

  @Test
  void shouldFinishBothModelsExactlyOnceWhenOneInstanceIsKilled(@TempDir Path state)
      throws Exception {
    // "alpha" and "beta" share a partition of 2 (murmur2 % 2 == 0 for both), so would not spread.
    assertThat(MODELS.stream().map(FailoverTest::partitionOf).distinct()).hasSize(2);
    Path logs = CrashLogs.dir("failover");
    Random random = new Random(RANDOM_SEED);
    List<ToyInput> inputs =
        List.of(
            ToyInput.of(MODELS.get(0), 21, STEPS * CrashSettings.BATCH, 0),
            ToyInput.of(MODELS.get(1), 22, STEPS * CrashSettings.BATCH, 0));
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.builder()
            .optProperty("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000")
            .build()
            .start()) {
      String bootstrap = broker.bootstrapServers();
      Map<String, String> reference = settings(bootstrap, "failover-ref", state.resolve("ref"));
      CrashSettings.provision(reference);
      Map<String, LearnerProcess> instances = new TreeMap<>();
      try (LearnerGroup learners = new LearnerGroup(logs);
          CommittedReports reports =
              new CommittedReports(bootstrap, CrashSettings.metricsTopic("failover"));
          CommittedReports refReports =
              new CommittedReports(bootstrap, CrashSettings.metricsTopic("failover-ref"))) {
        LearnerProcess ref = learners.start("ref", reference);
        for (String name : List.of("one", "two")) {
          Map<String, String> s = settings(bootstrap, "failover", state.resolve(name));
          CrashSettings.provision(s);
          instances.put(name, learners.start(name, s));
        }
        // The feed starts once every instance runs, so that the kill lands while both train.
        for (LearnerProcess p : learners.all()) {
          p.awaitRunning(RUN_TIMEOUT);
        }
        LearnerProcess survivor;
        try (PacedFeed feed = PacedFeed.start(bootstrap, inputs, 30, Map.of())) {
          for (String m : MODELS) {
            reports.awaitStep(m, 5, RUN_TIMEOUT, () -> tails(instances));
          }
          Pauses.pause(1_000 + random.nextInt(4_000)); // fault injection: the kill moment
          survivor = killOne(instances, reports, random);
          feed.awaitSent(60);
        }
        for (String m : MODELS) {
          reports.awaitStep(
              m,
              STEPS,
              RUN_TIMEOUT,
              () -> referenceProgress(refReports, m) + loads(instances) + tails(instances));
          refReports.awaitStep(m, STEPS, RUN_TIMEOUT, ref);
        }
        System.out.printf("[failover] survivor loads: %s%n", ModelLoad.in(survivor.logLines()));
        assertThat(ModelLoad.in(survivor.logLines()).stream().map(ModelLoad::model))
            .as("the survivor trained both models after the kill")
            .containsAll(MODELS);
        survivor.terminate(Duration.ofSeconds(30));
        ref.terminate(Duration.ofSeconds(30));

        List<ModelLoad> loads = new ArrayList<>();
        instances.values().forEach(p -> loads.addAll(ModelLoad.in(p.logLines())));
        for (ToyInput input : inputs) {
          String m = input.model();
          List<TrainingReport> got = reports.of(m);
          RunChecks.assertEachStepReportedOnce(got, STEPS);
          RunChecks.assertReportsMatch(got, refReports.of(m));
          assertThat(got.get(got.size() - 1).events()).isEqualTo(input.validByTask());
          RunChecks.assertResumedExactly(loads, got);
          Snapshot snapshot = RunChecks.finalSnapshot(bootstrap, "failover", m);
          assertThat(snapshot.manifest().trainedEvents()).isEqualTo(input.validByTask());
          RunChecks.assertSameModelAsReference(
              got,
              refReports.of(m),
              snapshot,
              RunChecks.finalSnapshot(bootstrap, "failover-ref", m));
        }
      }
    }
  }

  /**
   * SIGKILLs a random instance that owns a model and reports how long its models stalled; returns
   * the survivor.
   */
  private static LearnerProcess killOne(
      Map<String, LearnerProcess> instances, CommittedReports reports, Random random) {
    String victimName = chooseVictim(instances, random);
    Set<String> victimModels = owned(instances).getOrDefault(victimName, Set.of());
    instances.get(victimName).kill();
    long killed = System.nanoTime();
    reports.catchUp(); // the victim commits no more: these are its models' steps at the kill
    Map<String, Long> stepAtKill = new TreeMap<>();
    MODELS.forEach(m -> stepAtKill.put(m, reports.step(m)));
    System.out.printf(
        "[failover] SIGKILL %s (owned %s) at committed steps %s%n",
        victimName, victimModels, stepAtKill);
    victimModels.forEach(
        m -> assertThat(stepAtKill.get(m)).as("step of %s at the kill", m).isLessThan(STEPS));
    for (String m : victimModels) {
      reports.awaitStep(m, stepAtKill.get(m) + 1, RUN_TIMEOUT, () -> tails(instances));
      System.out.printf(
          "[failover] %s: first step after the kill committed %d ms after the kill%n",
          m, (System.nanoTime() - killed) / 1_000_000);
    }
    return instances.get(victimName.equals("one") ? "two" : "one");
  }

  private static Map<String, String> settings(String bootstrap, String appId, Path stateDir) {
    Map<String, String> s = CrashSettings.of(bootstrap, appId, stateDir);
    s.put(MtlKeys.TOPIC_PARTITIONS.key(), "2");
    s.put(MtlKeys.MODELS.key(), String.join(",", MODELS));
    s.put("num.standby.replicas", "1");
    // -Dmtl.test.threads=2 runs the same failover with two stream threads per instance (opt-in
    // mode, docs/DESIGN.md decision 2); the default is the application's default, one.
    s.put("num.stream.threads", System.getProperty("mtl.test.threads", "1"));
    // Notice a dead instance in seconds, not the default 45 s, and end its open transaction soon.
    s.put("session.timeout.ms", "6000");
    s.put("heartbeat.interval.ms", "1500");
    s.put("producer.transaction.timeout.ms", "5000");
    return s;
  }

  /** A random instance among those that own a model now (the last to load it owns it). */
  private static String chooseVictim(Map<String, LearnerProcess> instances, Random random) {
    List<String> owners = List.copyOf(new TreeSet<>(owned(instances).keySet()));
    assertThat(owners).as("instances owning a model").isNotEmpty();
    return owners.get(random.nextInt(owners.size()));
  }

  /** Instance → models it loaded last, from the instances' logs. */
  private static Map<String, Set<String>> owned(Map<String, LearnerProcess> instances) {
    Map<String, String> ownerByModel = new HashMap<>();
    Map<String, String> timeByModel = new HashMap<>();
    instances.forEach(
        (name, p) ->
            ModelLoad.in(p.logLines())
                .forEach(
                    l -> {
                      if (timeByModel.getOrDefault(l.model(), "").compareTo(l.time()) <= 0) {
                        timeByModel.put(l.model(), l.time());
                        ownerByModel.put(l.model(), name);
                      }
                    }));
    Map<String, Set<String>> byInstance = new HashMap<>();
    ownerByModel.forEach(
        (m, name) -> byInstance.computeIfAbsent(name, n -> new TreeSet<>()).add(m));
    return byInstance;
  }

  /** Where the uninterrupted reference run of {@code model} is: a stall there is the feed's. */
  private static String referenceProgress(CommittedReports refReports, String model) {
    refReports.catchUp();
    return "reference run of '" + model + "' at committed step " + refReports.step(model) + "\n";
  }

  /** Every model load (new or restored, step reached, inputs replayed) of every instance. */
  private static String loads(Map<String, LearnerProcess> instances) {
    StringBuilder out = new StringBuilder();
    instances.forEach(
        (name, p) ->
            out.append(name).append(" loads: ").append(ModelLoad.in(p.logLines())).append('\n'));
    return out.toString();
  }

  private static String tails(Map<String, LearnerProcess> instances) {
    return instances.values().stream()
        .sorted(Comparator.comparing(LearnerProcess::name))
        .map(p -> RunChecks.tail(p, 30))
        .reduce("", (a, b) -> a + "\n" + b);
  }

  /** The partition of 2 that Kafka's default partitioner gives a String key. */
  private static int partitionOf(String model) {
    return Utils.toPositive(Utils.murmur2(model.getBytes(UTF_8))) % 2;
  }
}
