package io.mtlstream.app;

import io.mtlstream.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline against a real KRaft broker started in this JVM. */
class EndToEndTest {

  @Test
  void shouldLearnFromGeneratedEventsAndPublishVerifiedSnapshots(@TempDir Path state)
      throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
      PipelineScenario.run(broker.bootstrapServers(), state, "mtl-e2e");
    }
  }
}
