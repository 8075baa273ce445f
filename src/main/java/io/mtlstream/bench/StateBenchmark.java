package io.mtlstream.bench;

import io.mtlstream.kafka.EmbeddedKafkaBroker;
import io.mtlstream.kafka.TopicProvisioner;
import io.mtlstream.kafka.TopicSpec;
import io.mtlstream.snapshot.Snapshot;
import io.mtlstream.snapshot.SnapshotCodec;
import io.mtlstream.snapshot.SnapshotManifest;
import io.mtlstream.snapshot.SnapshotTopicReader;
import io.mtlstream.train.Activation;
import io.mtlstream.train.LearnerSettings;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.MultiTaskLearner;
import io.mtlstream.train.TaskSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Snapshot and learner-state costs against model size: for a model of about {@code megabytes} MB of
 * float32 parameters (trunk width chosen to match), times the snapshot encode, its publication to
 * the snapshot topic of an embedded broker until acknowledged, its consumption and verification by
 * {@link SnapshotTopicReader}, the learner-state serialisation and decode, and — through a real
 * Kafka Streams learner ({@link StateRestoreRun}) — the restore of the checkpoint store from its
 * changelog into a fresh instance with a wiped state dir.
 *
 * <p>Each size gets its own broker and temp dir, both removed before {@link #run} returns. Every
 * wait is bounded. Stateless; call from one thread at a time (one DJL training process per JVM).
 */
public final class StateBenchmark {

  /** Record limits for the benchmark's broker and clients: a 100 MB snapshot is one record. */
  static final int RECORD_MAX_BYTES = 256 << 20;

  static final String MODEL_ID = "default";
  static final Duration WAIT = Duration.ofMinutes(3);
  private static final int INPUTS = 64;
  private static final int TOWER = 16;
  private static final int REPEATS = 3;

  private StateBenchmark() {}

  /**
   * One size's figures; times in milliseconds (medians of {@value #REPEATS} for the in-memory
   * ones), sizes in bytes.
   */
  public record Result(
      double targetMegabytes,
      int trunkWidth,
      long parameters,
      long snapshotBytes,
      double encodeMs,
      double publishMs,
      double consumeVerifyMs,
      long stateBytes,
      double serialiseMs,
      double decodeMs,
      StateRestoreRun.Timing restore) {

    /** MB/s (10^6 bytes per second) for {@code bytes} moved in {@code ms}. */
    public static double megabytesPerSecond(long bytes, double ms) {
      return bytes / 1e6 / (ms / 1e3);
    }
  }

  /** A two-layer trunk of equal widths giving about {@code megabytes} MB of parameters. */
  public static ModelSpec modelFor(double megabytes) {
    double n = megabytes * 1e6 / 4;
    // parameters ≈ w² + (inputs + 2 + tasks · (tower + 1)) · w
    double b = INPUTS + 2 + 3 * (TOWER + 1);
    int width = (int) Math.max(1, Math.round((-b + Math.sqrt(b * b + 4 * n)) / 2));
    return new ModelSpec(
        INPUTS,
        new int[] {width, width},
        Activation.RELU,
        List.of(
            TaskSpec.regression("reg", 1, TOWER),
            TaskSpec.binary("bin", TOWER),
            TaskSpec.multiclass("cls", 3, TOWER)));
  }

  public static Result run(double megabytes) {
    ModelSpec spec = modelFor(megabytes);
    LearnerSettings settings = LearnerSettings.defaults(spec);
    Path work = tempDir();
    try (EmbeddedKafkaBroker broker = newBroker()) {
      String bootstrap = broker.start().bootstrapServers();
      provision(bootstrap);
      float[] parameters;
      byte[] state;
      double serialiseMs;
      try (MultiTaskLearner learner = MultiTaskLearner.create(settings)) {
        parameters = learner.parameters();
        state = learner.saveState();
        serialiseMs = medianMs(() -> learner.saveState());
      }
      double decodeMs = medianMs(() -> MultiTaskLearner.restore(settings, state).close());
      SnapshotManifest manifest = manifest(spec);
      byte[] snapshot = SnapshotCodec.encode(manifest, parameters);
      double encodeMs = medianMs(() -> SnapshotCodec.encode(manifest, parameters));
      double publishMs = publish(bootstrap, snapshot);
      double consumeMs = consumeAndVerify(bootstrap, parameters.length);
      StateRestoreRun.Timing restore = StateRestoreRun.run(bootstrap, settings, work);
      return new Result(
          megabytes,
          spec.trunkWidths()[0],
          parameters.length,
          snapshot.length,
          encodeMs,
          publishMs,
          consumeMs,
          state.length,
          serialiseMs,
          decodeMs,
          restore);
    } finally {
      deleteRecursively(work);
    }
  }

  /** A broker whose record limits admit a snapshot of {@link #RECORD_MAX_BYTES}. */
  static EmbeddedKafkaBroker newBroker() {
    String max = Integer.toString(RECORD_MAX_BYTES);
    return EmbeddedKafkaBroker.builder()
        .optProperty("message.max.bytes", max)
        .optProperty("replica.fetch.max.bytes", max)
        // A produce request carries the record plus headers; the default (100 MiB) is too small.
        .optProperty("socket.request.max.bytes", Integer.toString(2 * RECORD_MAX_BYTES))
        .build();
  }

  private static void provision(String bootstrap) {
    List<TopicSpec> specs = new ArrayList<>();
    for (String task : List.of("reg", "bin", "cls")) {
      specs.add(TopicSpec.events(task, 1));
    }
    specs.add(TopicSpec.deadLetter(1));
    specs.add(TopicSpec.metrics(1, TopicSpec.DEFAULT_METRICS_RETENTION));
    specs.add(TopicSpec.snapshots(1, RECORD_MAX_BYTES));
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      new TopicProvisioner(admin, Duration.ofSeconds(60)).provision(specs);
    }
  }

  private static SnapshotManifest manifest(ModelSpec spec) {
    double[] weights = new double[spec.taskCount()];
    Arrays.fill(weights, 1.0);
    return SnapshotManifest.builder()
        .setModelId(MODEL_ID)
        .setModel(spec)
        .setBalancer("gradnorm")
        .setTaskWeights(weights)
        .setStep(0)
        .setCreatedAtMillis(System.currentTimeMillis())
        .build();
  }

  /** Milliseconds from send to acknowledgement (acks=all), metadata fetched beforehand. */
  private static double publish(String bootstrap, byte[] snapshot) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, RECORD_MAX_BYTES);
    c.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * RECORD_MAX_BYTES);
    c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) WAIT.toMillis());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer())) {
      // Warm up: metadata, producer id and the partition's first batch are not part of the cost.
      producer
          .send(new ProducerRecord<>(TopicSpec.SNAPSHOTS, new byte[] {0}, new byte[] {0}))
          .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      byte[] key = MODEL_ID.getBytes(StandardCharsets.UTF_8);
      long t0 = System.nanoTime();
      producer
          .send(new ProducerRecord<>(TopicSpec.SNAPSHOTS, key, snapshot))
          .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      return (System.nanoTime() - t0) / 1e6;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("snapshot publish failed: " + e.getMessage(), e);
    }
  }

  /**
   * Milliseconds for a new reader to connect, fetch the snapshot from the topic's start and verify
   * it (SHA-256 and structure); the second of two such reads, so the JIT is warm. (A reused reader
   * would first wait out its idle prefetch, {@code fetch.max.wait.ms}.)
   */
  private static double consumeAndVerify(String bootstrap, int parameterCount) {
    double ms = 0;
    for (int i = 0; i < 2; i++) {
      long t0 = System.nanoTime();
      try (SnapshotTopicReader reader =
          new SnapshotTopicReader(bootstrap, TopicSpec.SNAPSHOTS, Map.of())) {
        Snapshot s =
            reader
                .readLatest(MODEL_ID, WAIT)
                .orElseThrow(() -> new IllegalStateException("published snapshot not found"));
        ms = (System.nanoTime() - t0) / 1e6;
        if (s.parameters().length != parameterCount) {
          throw new IllegalStateException("read back " + s.parameters().length + " parameters");
        }
      }
    }
    return ms;
  }

  private static double medianMs(Runnable task) {
    double[] ms = new double[REPEATS];
    for (int i = 0; i < REPEATS; i++) {
      long t0 = System.nanoTime();
      task.run();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return ms[REPEATS / 2];
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("mtl-bench-state-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
