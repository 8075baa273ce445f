package io.mtlstream.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** mtl.* settings that reach the learner through the Kafka Streams properties. */
class StreamsPropertiesTest {

  private static Properties streams(Map<String, String> overrides) {
    return Settings.streams(MtlConfig.load(null, Map.of(), overrides));
  }

  @Test
  void shouldPassTheCheckpointChunkSizeToTheLearner() {
    assertThat(streams(Map.of()).getProperty("mtl.checkpoint.chunk.bytes"))
        .isEqualTo(String.valueOf(8 << 20));
    assertThat(
            streams(Map.of("mtl.checkpoint.chunk.bytes", "4096"))
                .getProperty("mtl.checkpoint.chunk.bytes"))
        .isEqualTo("4096");
  }

  @Test
  void shouldRejectACheckpointChunkSizeOutsideTheRecordLimit() {
    assertThatThrownBy(() -> streams(Map.of("mtl.checkpoint.chunk.bytes", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mtl.checkpoint.chunk.bytes=0 must be between 1 and");
    assertThatThrownBy(() -> streams(Map.of("mtl.checkpoint.chunk.bytes", "2000000000")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be between 1 and 268435456 bytes");
  }

  @Test
  void shouldGiveTheStreamsProducerLargeBatchesUnlessTheUserSetsThem() {
    assertThat(streams(Map.of()).get("producer.batch.size")).isEqualTo(256 << 10);
    assertThat(streams(Map.of("producer.batch.size", "16384")).get("producer.batch.size"))
        .isEqualTo("16384");
  }
}
