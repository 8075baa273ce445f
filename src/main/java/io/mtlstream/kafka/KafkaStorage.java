package io.mtlstream.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Formats, creates and deletes the log directory of {@link EmbeddedKafkaBroker}. Stateless. */
final class KafkaStorage {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaStorage.class);

  /** Written by the format step; its presence means the directory belongs to a cluster. */
  static final String META_PROPERTIES = "meta.properties";

  private KafkaStorage() {}

  static boolean isFormatted(Path logDir) {
    return Files.isRegularFile(logDir.resolve(META_PROPERTIES));
  }

  /**
   * Formats {@code logDir} for a new cluster unless it is formatted already: re-formatting would
   * give it a new cluster id and make the broker refuse (or lose) the data it holds.
   *
   * @return whether the directory was formatted now
   */
  static boolean formatIfNeeded(Path logDir, Properties brokerProps) {
    if (isFormatted(logDir)) {
      return false;
    }
    Path cfg = null;
    try {
      Files.createDirectories(logDir);
      cfg = Files.createTempFile("mtl-broker-", ".properties");
      try (OutputStream out = Files.newOutputStream(cfg)) {
        brokerProps.store(out, "mtlstream embedded broker (format only)");
      }
      String clusterId = Uuid.randomUuid().toString();
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      int rc;
      try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
        rc =
            StorageTool.execute(
                new String[] {"format", "-t", clusterId, "-c", cfg.toString()}, out);
      }
      String output = buffer.toString(StandardCharsets.UTF_8).trim();
      if (rc != 0) {
        throw new IllegalStateException(
            "Formatting Kafka log dir " + logDir + " failed (exit " + rc + "): " + output);
      }
      LOG.info("Formatted Kafka log dir {} for new cluster {}", logDir, clusterId);
      LOG.debug("StorageTool format output: {}", output);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot format Kafka log dir " + logDir, e);
    } finally {
      deleteQuietly(cfg);
    }
  }

  static Path newTempDir() {
    try {
      return Files.createTempDirectory("mtl-broker-");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a temp dir for the broker", e);
    }
  }

  /** Deletes a file or directory tree; logs (does not throw) on failure, as it runs on close. */
  static void deleteQuietly(Path path) {
    if (path == null || !Files.exists(path)) {
      return;
    }
    try (Stream<Path> tree = Files.walk(path)) {
      tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("Could not delete {}", path, e);
    }
  }
}
