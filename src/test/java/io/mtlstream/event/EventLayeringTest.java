package io.mtlstream.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The event package is upstream of everything: it may use Jackson, but not DJL, Kafka or train. */
class EventLayeringTest {

  private static final List<String> FORBIDDEN =
      List.of("import ai.djl", "import org.apache.kafka", "import io.mtlstream.");

  @Test
  void shouldNotImportDjlKafkaOrOtherMtlstreamPackages() throws IOException {
    Path dir = Path.of("src/main/java/io/mtlstream/event");
    assertThat(dir).as("run from the project directory").isDirectory();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        for (String line : Files.readAllLines(file)) {
          String code = line.strip().replace("import static ", "import ");
          for (String prefix : FORBIDDEN) {
            boolean ownPackage = code.startsWith("import io.mtlstream.event.");
            assertThat(code.startsWith(prefix) && !ownPackage)
                .as("%s: %s", file.getFileName(), line)
                .isFalse();
          }
        }
      }
    }
  }
}
