package io.mtlstream.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class LabeledEventSchemaFileTest {

  private static JsonNode schema() throws Exception {
    try (InputStream in =
        LabeledEventSchemaFileTest.class.getResourceAsStream("/schema/labeled-event.schema.json")) {
      assertThat(in).as("schema on the classpath").isNotNull();
      return new ObjectMapper().readTree(in);
    }
  }

  @Test
  void shouldBeADraft202012SchemaRequiringFeaturesAndLabel() throws Exception {
    JsonNode schema = schema();

    assertThat(schema.path("$schema").asText())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(schema.path("required").toString()).isEqualTo("[\"features\",\"label\"]");
    assertThat(schema.path("description").asText()).contains("feature count");
  }

  @Test
  void shouldDescribeEveryWireField() throws Exception {
    JsonNode properties = schema().path("properties");

    assertThat(properties.fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("id", "model", "task", "features", "label", "ts");
    properties.forEach(p -> assertThat(p.path("description").asText()).isNotBlank());
  }

  @Test
  void shouldHaveExamplesTheDecoderAccepts() throws Exception {
    var decoder =
        new EventDecoder(
            EventSchema.of(3, TaskSchema.binary("click"), TaskSchema.regression("price", 2)));
    var mapper = new ObjectMapper();

    for (JsonNode example : schema().path("examples")) {
      Decoded d =
          decoder.decode(
              mapper.writeValueAsBytes(example), example.has("task") ? null : "click", 0);
      assertThat(d).as(example.toString()).isInstanceOf(Decoded.Valid.class);
    }
  }
}
