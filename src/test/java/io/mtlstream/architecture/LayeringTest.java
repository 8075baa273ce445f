package io.mtlstream.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Data flows one way through the packages (docs/DESIGN.md): event → stream → train, with snapshot
 * and metrics publishing; runtime assembles the learner process, bench measures it, and app (the
 * command line) wires everything. This test reads the import lines of the main sources and fails on
 * an import that goes against that flow.
 */
class LayeringTest {

  private static final Path MAIN = Path.of("src/main/java/io/mtlstream");

  /** Package → import prefixes it must not use. */
  private static final Map<String, List<String>> FORBIDDEN =
      Map.of(
          "event",
          List.of("ai.djl", "org.apache.kafka", "io.mtlstream."),
          "train",
          List.of(
              "org.apache.kafka",
              "io.mtlstream.event",
              "io.mtlstream.stream",
              "io.mtlstream.snapshot",
              "io.mtlstream.metrics",
              "io.mtlstream.app",
              "io.micrometer"),
          "snapshot",
          List.of("ai.djl", "io.mtlstream.stream", "io.mtlstream.app"),
          "metrics",
          List.of("ai.djl", "io.mtlstream.stream", "io.mtlstream.app"),
          "stream",
          List.of("io.mtlstream.app", "ai.djl"),
          "kafka",
          List.of("ai.djl", "io.mtlstream.stream", "io.mtlstream.train", "io.mtlstream.app"),
          // The learner process and the benchmarks that run it sit below the command line.
          "runtime",
          List.of("io.mtlstream.app", "io.mtlstream.bench"),
          "bench",
          List.of("io.mtlstream.app"));

  @Test
  void shouldKeepImportsFlowingOneWayBetweenPackages() throws IOException {
    List<String> violations = new ArrayList<>();
    for (var rule : FORBIDDEN.entrySet()) {
      Path dir = MAIN.resolve(rule.getKey());
      assertThat(dir).isDirectory();
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          for (String line : Files.readAllLines(file)) {
            if (!line.startsWith("import ")) {
              continue;
            }
            String imported = line.substring(7).replace("static ", "").trim();
            for (String prefix : rule.getValue()) {
              boolean ownPackage = imported.startsWith("io.mtlstream." + rule.getKey() + ".");
              if (imported.startsWith(prefix) && !ownPackage) {
                violations.add(MAIN.relativize(file) + ": " + line.trim());
              }
            }
          }
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void shouldKeepTheBalancersFreeOfNativeCode() throws IOException {
    try (Stream<Path> files = Files.walk(MAIN.resolve("train/balance"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        assertThat(Files.readString(file)).as(file.toString()).doesNotContain("import ai.djl");
      }
    }
  }
}
