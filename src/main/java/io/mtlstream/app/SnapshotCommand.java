package io.mtlstream.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mtlstream.snapshot.ManifestJson;
import io.mtlstream.snapshot.Snapshot;
import io.mtlstream.snapshot.SnapshotCodec;
import io.mtlstream.snapshot.SnapshotFormatException;
import io.mtlstream.snapshot.SnapshotTopicReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mtlstream snapshot}: tools for model snapshots (see {@code docs/SNAPSHOT_FORMAT.md}). */
@Command(
    name = "snapshot",
    mixinStandardHelpOptions = true,
    description = "Model snapshot tools.",
    subcommands = SnapshotCommand.Inspect.class)
public final class SnapshotCommand implements Runnable {

  /** Exit code for a snapshot that fails verification. */
  public static final int EXIT_BAD_SNAPSHOT = 2;

  /** Exit code when no snapshot could be read (missing file or model, broker unreachable). */
  public static final int EXIT_NOT_READ = 1;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code snapshot inspect}: verifies a snapshot and prints its manifest as JSON. */
  @Command(
      name = "inspect",
      mixinStandardHelpOptions = true,
      description =
          "Verifies a snapshot (magic, version, SHA-256, parameter count) and prints its manifest"
              + " as JSON with \"sha256\" and \"verified\": true. Exit codes: 0 verified,"
              + " 1 not found or unreadable, 2 bad snapshot.")
  public static final class Inspect implements Callable<Integer> {

    static final class Source {
      @Option(names = "--file", required = true, description = "a snapshot file")
      Path file;

      @Option(
          names = "--bootstrap-servers",
          required = true,
          description = "read the latest snapshot from Kafka")
      String bootstrapServers;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(
        names = "--topic",
        defaultValue = SnapshotTopicReader.DEFAULT_TOPIC,
        description = "snapshot topic (default: ${DEFAULT-VALUE})")
    String topic;

    @Option(
        names = "--model",
        defaultValue = "default",
        description = "model id, the record key (default: ${DEFAULT-VALUE})")
    String model;

    @Option(
        names = "--timeout-seconds",
        defaultValue = "30",
        description = "how long to read the topic (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Option(
        names = "--consumer-property",
        description = "extra Kafka consumer setting key=value (e.g. security), repeatable")
    Map<String, String> consumerProperties = new HashMap<>();

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Optional<byte[]> bytes;
      try {
        bytes = source.file != null ? Optional.of(Files.readAllBytes(source.file)) : fromTopic();
      } catch (IOException | KafkaException e) {
        err.println("cannot read the snapshot: " + e);
        return EXIT_NOT_READ;
      }
      if (bytes.isEmpty()) {
        err.printf("no snapshot of model '%s' on topic '%s'%n", model, topic);
        return EXIT_NOT_READ;
      }
      Snapshot snapshot;
      try {
        snapshot = SnapshotCodec.decode(bytes.get());
      } catch (SnapshotFormatException e) {
        err.println("bad snapshot (" + e.reason().tag() + "): " + e.getMessage());
        return EXIT_BAD_SNAPSHOT;
      }
      ObjectNode json = ManifestJson.toJson(snapshot.manifest());
      json.put("sizeBytes", bytes.get().length);
      json.put("sha256", snapshot.sha256Hex());
      json.put("verified", true);
      out.println(json.toPrettyString());
      out.flush();
      return 0;
    }

    private Optional<byte[]> fromTopic() {
      try (var reader =
          new SnapshotTopicReader(
              source.bootstrapServers, topic, new HashMap<String, Object>(consumerProperties))) {
        return reader.readLatestBytes(model, Duration.ofSeconds(timeoutSeconds));
      }
    }
  }
}
