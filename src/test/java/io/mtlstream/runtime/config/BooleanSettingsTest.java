package io.mtlstream.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Boolean settings take true or false only: a typo must not silently mean false. */
class BooleanSettingsTest {

  private static MtlConfig config(Map<String, String> values) {
    return MtlConfig.load(null, Map.of(), values);
  }

  @Test
  void shouldTrainQuietStepsInTheBackgroundUnlessTurnedOff() {
    assertThat(stream(Map.of()).backgroundSteps()).isTrue();
    assertThat(stream(Map.of(MtlKeys.BACKGROUND_STEPS.key(), "FALSE")).backgroundSteps()).isFalse();
    assertThat(stream(Map.of(MtlKeys.BACKGROUND_STEPS.key(), " true ")).backgroundSteps()).isTrue();
  }

  @Test
  void shouldRefuseAnythingButTrueOrFalse() {
    for (String bad : new String[] {"ture", "yes", "1", ""}) {
      MtlConfig c = config(Map.of(MtlKeys.BACKGROUND_STEPS.key(), bad));
      assertThatThrownBy(() -> c.getBoolean(MtlKeys.BACKGROUND_STEPS))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("setting mtl.train.background.steps='" + bad + "' is not true or false");
    }
    MtlConfig typo = config(Map.of(MtlKeys.INPUT_PARTITIONED_BY_MODEL.key(), "flase"));
    assertThatThrownBy(() -> typo.getBoolean(MtlKeys.INPUT_PARTITIONED_BY_MODEL))
        .hasMessageContaining("mtl.input.partitioned.by.model='flase'");
  }

  private static io.mtlstream.stream.StreamSettings stream(Map<String, String> values) {
    return Settings.stream(config(values), Clock.systemUTC(), new SimpleMeterRegistry());
  }
}
