package io.mtlstream.app;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same pipeline against the official {@code apache/kafka} image. Runs where Docker exists;
 * reported as skipped elsewhere.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerEndToEndTest {

  @Container static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.3.1");

  @Test
  void shouldLearnFromGeneratedEventsAgainstTheApacheKafkaImage(@TempDir Path state)
      throws Exception {
    PipelineScenario.run(KAFKA.getBootstrapServers(), state, "mtl-e2e-container");
  }
}
