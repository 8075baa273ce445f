package io.mtlstream.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicTasksTest {

  @Test
  void shouldReadEachTaskFromItsDefaultTopic() {
    TopicTasks topics = TopicTasks.defaults(List.of("click", "price"));

    assertThat(topics.topics()).containsExactly("mtl.events.click", "mtl.events.price");
    assertThat(topics.taskOf("mtl.events.price")).isEqualTo("price");
    assertThat(topics.isMixed("mtl.events.price")).isFalse();
  }

  @Test
  void shouldReplaceDefaultTopicByOverrideAndUseCustomPrefix() {
    TopicTasks topics =
        TopicTasks.builder()
            .setTasks(List.of("click", "price"))
            .optPrefix("shop.")
            .optOverrides(Map.of("legacy.clicks", "click"))
            .build();

    assertThat(topics.topics()).containsExactly("legacy.clicks", "shop.price");
    assertThat(topics.taskOf("legacy.clicks")).isEqualTo("click");
    assertThatThrownBy(() -> topics.taskOf("shop.click"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "topic 'shop.click' is not an input topic; inputs: [legacy.clicks, shop.price]");
  }

  @Test
  void shouldLeaveTaskToPayloadOnMixedTopic() {
    TopicTasks topics =
        TopicTasks.builder().setTasks(List.of("click")).optMixedTopic("mtl.events.mixed").build();

    assertThat(topics.topics()).containsExactly("mtl.events.click", "mtl.events.mixed");
    assertThat(topics.taskOf("mtl.events.mixed")).isNull();
    assertThat(topics.isMixed("mtl.events.mixed")).isTrue();
  }

  @Test
  void shouldThrowForUnknownTopicsBecauseTheyAreConfigurationErrors() {
    TopicTasks topics = TopicTasks.defaults(List.of("click"));

    assertThatThrownBy(() -> topics.isMixed("mtl.events.other"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an input topic");
  }

  @Test
  void shouldRejectConflictingOrIllegalConfiguration() {
    assertThatThrownBy(
            () ->
                TopicTasks.builder()
                    .setTasks(List.of("a", "b"))
                    .optOverride("mtl.events.a", "b")
                    .build())
        .hasMessage("topic 'mtl.events.a' would carry both task 'a' and task 'b'");
    assertThatThrownBy(
            () -> TopicTasks.builder().setTasks(List.of("a")).optMixedTopic("mtl.events.a").build())
        .hasMessage("topic 'mtl.events.a' would carry both task 'a' and the mixed topic");
    assertThatThrownBy(
            () -> TopicTasks.builder().setTasks(List.of("a")).optOverride("x", "nope").build())
        .hasMessageContaining("names a task not in [a]");
    assertThatThrownBy(() -> TopicTasks.defaults(List.of("a b")))
        .hasMessageContaining("not a legal Kafka topic name");
    assertThatThrownBy(() -> TopicTasks.defaults(List.of()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void shouldGiveEachTopicItsTasksEncodingOrTheDefault() {
    TopicTasks topics =
        TopicTasks.builder()
            .setTasks(List.of("click", "price", "kind"))
            .optOverrides(Map.of("legacy.clicks", "click"))
            .optMixedTopic("mtl.events.all")
            .optEncoding(EventEncoding.AUTO)
            .optTaskEncoding("click", EventEncoding.BINARY)
            .optTaskEncoding("price", EventEncoding.JSON)
            .build();

    assertThat(topics.encodingOf("legacy.clicks")).isEqualTo(EventEncoding.BINARY);
    assertThat(topics.encodingOf("mtl.events.price")).isEqualTo(EventEncoding.JSON);
    assertThat(topics.encodingOf("mtl.events.kind")).isEqualTo(EventEncoding.AUTO);
    assertThat(topics.encodingOf("mtl.events.all")).isEqualTo(EventEncoding.AUTO);
    assertThat(
            TopicTasks.builder()
                .setTasks(List.of("click"))
                .optMixedTopic("all")
                .optMixedEncoding(EventEncoding.BINARY)
                .build()
                .encodingOf("all"))
        .isEqualTo(EventEncoding.BINARY);
    assertThat(TopicTasks.defaults(List.of("a")).encodingOf("mtl.events.a"))
        .isEqualTo(EventEncoding.JSON);
    assertThatThrownBy(
            () ->
                TopicTasks.builder()
                    .setTasks(List.of("click"))
                    .optTaskEncoding("clik", EventEncoding.BINARY)
                    .build())
        .hasMessage("encoding set for task 'clik', which is not in [click]");
  }
}
