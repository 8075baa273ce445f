package io.mtlstream.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mtlstream.kafka.EmbeddedKafkaBroker;
import io.mtlstream.runtime.LearnerApp;
import io.mtlstream.runtime.config.MtlConfig;
import io.mtlstream.snapshot.Snapshot;
import io.mtlstream.snapshot.SnapshotTopicReader;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that is not ours: the Python scripts of {@code docs/interop} (confluent-kafka, i.e.
 * librdkafka) produce events — valid ones and one bad record per reject reason — to the learner
 * configured by {@code docs/interop/learner.properties}, then read the reports, the snapshots
 * (parsed and SHA-256-verified in Python from docs/SNAPSHOT_FORMAT.md) and the dead letters with
 * their headers. Skipped when no {@code python3} on this machine can import {@code confluent_kafka}
 * (Debian: {@code apt-get install python3-confluent-kafka}); set {@code MTL_INTEROP_PYTHON} to
 * choose the interpreter.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class PythonClientInteropTest {

  /** 30 training steps of the properties file's batch of 32: reports and a snapshot at step 30. */
  private static final int BATCH = 32;

  private static final int STEPS = 30;
  private static final int VALID = STEPS * BATCH;
  private static final List<String> TASKS = List.of("price", "click", "kind");
  private static final List<String> DLQ_HEADERS =
      List.of(
          "mtl.dlq.reason",
          "mtl.dlq.message",
          "mtl.dlq.source.topic",
          "mtl.dlq.source.partition",
          "mtl.dlq.source.offset");
  private static final Duration PRODUCE_TIMEOUT = Duration.ofMinutes(1);
  private static final Duration READ_TIMEOUT = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void pythonClientShouldFeedTheLearnerAndReadReportsSnapshotsAndDeadLetters(
      @TempDir Path state, @TempDir Path logs) throws Exception {
    String python = findPython();
    assumeTrue(python != null, "no python3 with confluent_kafka; skipping the Python interop test");
    Path scripts = interopDir();
    Path properties = scripts.resolve("learner.properties");

    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
      String bootstrap = broker.bootstrapServers();
      MtlConfig config =
          MtlConfig.load(
              properties,
              Map.of(),
              Map.of(
                  "bootstrap.servers",
                  bootstrap,
                  "state.dir",
                  state.toString(),
                  "application.id",
                  "mtl-interop-test"));
      assertThat(config.get("mtl.train.batch.size", "")).isEqualTo(Integer.toString(BATCH));

      JsonNode sent;
      List<JsonNode> out;
      try (LearnerApp app = new LearnerApp(config, new SimpleMeterRegistry()).start()) {
        List<String> produced =
            run(
                logs.resolve("produce"),
                PRODUCE_TIMEOUT,
                python,
                scripts.resolve("produce_events.py").toString(),
                "--bootstrap-servers",
                bootstrap,
                "--valid",
                Integer.toString(VALID),
                "--invalid");
        sent = JSON.readTree(produced.get(produced.size() - 1));
        assertThat(sent.path("valid").asInt()).isEqualTo(VALID);
        assertThat(sent.path("acked").asInt()).isEqualTo(VALID + sent.path("invalid").asInt());
        int invalid = sent.path("invalid").asInt();
        assertThat(invalid).isPositive();

        List<String> lines =
            run(
                logs.resolve("read"),
                READ_TIMEOUT.plusSeconds(30),
                python,
                scripts.resolve("read_outputs.py").toString(),
                "--bootstrap-servers",
                bootstrap,
                "--json",
                "--wait-step",
                Integer.toString(STEPS),
                "--wait-dlq",
                Integer.toString(invalid),
                "--timeout",
                Long.toString(READ_TIMEOUT.toSeconds()));
        out = new ArrayList<>();
        for (String line : lines) {
          out.add(JSON.readTree(line));
        }
      }

      JsonNode summary = out.get(out.size() - 1);
      assertThat(summary.path("type").asText()).isEqualTo("summary");
      assertThat(summary.path("complete").asBoolean()).as("reader conditions met").isTrue();

      // Every valid event trained, none of the bad ones; per task as sent.
      JsonNode report = last(out, "report");
      assertThat(report.path("step").asLong()).isEqualTo(STEPS);
      long trained = 0;
      for (String task : TASKS) {
        assertThat(report.path("events").path(task).asLong())
            .as("events of %s", task)
            .isEqualTo(sent.path("perTask").path(task).asLong());
        trained += report.path("events").path(task).asLong();
      }
      assertThat(trained).isEqualTo(VALID);
      assertThat(summary.path("reportEventsTotal").asLong()).isEqualTo(VALID);
      assertThat(report.path("rejected")).isEqualTo(sent.path("invalidReasons"));

      // The snapshot, parsed and verified in Python, agrees with our own reader bit for bit.
      assertThat(summary.path("snapshotVerified").asBoolean()).isTrue();
      assertThat(summary.path("badSnapshots").asInt()).isZero();
      JsonNode snap = last(out, "snapshot");
      assertThat(snap.path("verified").asBoolean()).isTrue();
      assertThat(snap.path("manifest").path("step").asLong()).isEqualTo(STEPS);
      assertThat(snap.path("manifest").path("trainedEvents").path("price").asLong())
          .isEqualTo(sent.path("perTask").path("price").asLong());
      int n = snap.path("parameterCount").asInt();
      assertThat(snap.path("sizeBytes").asInt())
          .isEqualTo(46 + snap.path("manifestBytes").asInt() + 4 * n);
      assertThat(snap.path("finiteParameters").asInt()).isEqualTo(n);
      try (SnapshotTopicReader reader =
          new SnapshotTopicReader(bootstrap, SnapshotTopicReader.DEFAULT_TOPIC, Map.of())) {
        Optional<Snapshot> ours = reader.readLatest("default", Duration.ofSeconds(30));
        assertThat(ours).isPresent();
        assertThat(snap.path("sha256").asText()).isEqualTo(ours.get().sha256Hex());
        float[] p = ours.get().parameters();
        assertThat(p).hasSize(n);
        double l2 = 0;
        for (float v : p) {
          l2 += (double) v * v;
        }
        // Same float32 values, summed in the same order in double: equal up to JSON rounding.
        assertThat(snap.path("parameterL2").asDouble())
            .isCloseTo(Math.sqrt(l2), offset(1e-9 * Math.max(1, Math.sqrt(l2))));
      }

      // One dead letter per bad record, each with every mtl.dlq.* header; reasons as intended.
      List<JsonNode> dlq = out.stream().filter(o -> "dlq".equals(o.path("type").asText())).toList();
      assertThat(dlq).hasSize(sent.path("invalid").asInt());
      for (JsonNode d : dlq) {
        for (String h : DLQ_HEADERS) {
          assertThat(d.path("headers").path(h).isTextual()).as("%s on %s", h, d).isTrue();
        }
        assertThat(d.path("headers").path("mtl.dlq.source.topic").asText())
            .startsWith("mtl.events.");
        assertThat(d.path("headers").path("mtl.dlq.source.offset").asText()).matches("\\d+");
      }
      assertThat(summary.path("dlqReasons")).isEqualTo(sent.path("invalidReasons"));
    }
  }

  private static JsonNode last(List<JsonNode> out, String type) {
    JsonNode found = null;
    for (JsonNode o : out) {
      if (type.equals(o.path("type").asText())) {
        found = o;
      }
    }
    assertThat(found).as("a %s line in the reader's output", type).isNotNull();
    return found;
  }

  /**
   * Runs a command with a deadline; stdout and stderr go to files (no pipe can fill up). Returns
   * the non-blank stdout lines; fails with both outputs if it times out or exits non-zero.
   */
  private static List<String> run(Path logPrefix, Duration timeout, String... command)
      throws IOException, InterruptedException {
    Path stdout = Path.of(logPrefix + ".out");
    Path stderr = Path.of(logPrefix + ".err");
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
            .start();
    boolean exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!exited) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String out = Files.readString(stdout, StandardCharsets.UTF_8);
    String err = Files.readString(stderr, StandardCharsets.UTF_8);
    assertThat(exited)
        .as("%s finished within %s%nstdout:%n%s%nstderr:%n%s", command[1], timeout, out, err)
        .isTrue();
    assertThat(p.exitValue())
        .as("exit code of %s%nstdout:%n%s%nstderr:%n%s", command[1], out, err)
        .isZero();
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  private static File nullDevice() {
    return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  /** MTL_INTEROP_PYTHON, else python3 on PATH, else /usr/bin/python3 (Debian's packages). */
  private static String findPython() throws InterruptedException {
    String chosen = System.getenv("MTL_INTEROP_PYTHON");
    List<String> candidates =
        chosen != null && !chosen.isBlank()
            ? List.of(chosen)
            : List.of("python3", "/usr/bin/python3");
    for (String candidate : candidates) {
      try {
        Process p =
            new ProcessBuilder(candidate, "-c", "import confluent_kafka")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        } else if (p.exitValue() == 0) {
          return candidate;
        }
      } catch (IOException e) {
        // not installed; try the next one
      }
    }
    return null;
  }

  /** docs/interop of this checkout: from the Maven basedir (or the working directory) upward. */
  private static Path interopDir() {
    Path start = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("docs").resolve("interop");
      if (Stream.of("produce_events.py", "read_outputs.py", "learner.properties")
          .allMatch(f -> Files.isRegularFile(candidate.resolve(f)))) {
        return candidate;
      }
    }
    throw new IllegalStateException("docs/interop not found above " + start);
  }
}
