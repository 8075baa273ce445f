package io.mtlstream.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.TaskSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON bodies the server writes, with a streaming generator: predictions, the model view,
 * health and errors, and the factory request bodies are parsed with. Field names are part of the
 * HTTP API ({@code package-info}). Stateless and thread-safe ({@link JsonFactory} is).
 */
final class ServeJson {

  /**
   * Numbers are most of a prediction's request and answer, and Jackson's default float reader and
   * writer go through {@code FloatingDecimal}'s big-integer arithmetic. Its fast ones
   * (Randelshofer's parser, Schubfach for output) read the same correctly rounded values and write
   * the shortest text that reads back to the same float: a 64-row request served ×1.3–1.6 the
   * requests (docs/BENCHMARKS.md, "Serving").
   */
  private final JsonFactory json =
      JsonFactory.builder()
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
          .build();

  /** The factory for reading request bodies, configured as the writer's. */
  JsonFactory factory() {
    return json;
  }

  /**
   * {@code {"model", "step", "version", "rows", "outputs": {task: {"type", field}}}}: regression
   * {@code "values"} (the outputs of a row), binary {@code "probability"} (P(y = 1)), multiclass
   * {@code "probabilities"} (one per class); for a {@code "rows"} request each field is an array
   * with one entry per row.
   */
  byte[] predictions(ServedModel served, PredictRequest request, float[][] outputs) {
    return write(
        g -> {
          g.writeStartObject();
          g.writeStringField("model", served.modelId());
          g.writeNumberField("step", served.step());
          g.writeStringField("version", served.sha256());
          g.writeNumberField("rows", request.rows());
          g.writeObjectFieldStart("outputs");
          ModelSpec spec = served.spec();
          for (int t = 0; t < spec.taskCount(); t++) {
            TaskSpec task = spec.task(t);
            g.writeObjectFieldStart(task.name());
            g.writeStringField("type", task.type().name().toLowerCase(Locale.ROOT));
            g.writeFieldName(
                switch (task.type()) {
                  case REGRESSION -> "values";
                  case BINARY -> "probability";
                  case MULTICLASS -> "probabilities";
                });
            boolean scalar = task.type() == io.mtlstream.train.TaskType.BINARY;
            if (request.single()) {
              writeRow(g, outputs[t], 0, task.outputs(), scalar);
            } else {
              g.writeStartArray();
              for (int r = 0; r < request.rows(); r++) {
                writeRow(g, outputs[t], r * task.outputs(), task.outputs(), scalar);
              }
              g.writeEndArray();
            }
            g.writeEndObject();
          }
          g.writeEndObject();
          g.writeEndObject();
        });
  }

  private static void writeRow(
      JsonGenerator g, float[] values, int offset, int width, boolean scalar) throws IOException {
    if (scalar) {
      g.writeNumber(values[offset]);
      return;
    }
    g.writeStartArray();
    for (int i = 0; i < width; i++) {
      g.writeNumber(values[offset + i]);
    }
    g.writeEndArray();
  }

  /** The served model: version, step, task weights and specs, times, age and freshness. */
  byte[] model(ServedModel served, long nowMillis) {
    return write(
        g -> {
          g.writeStartObject();
          g.writeStringField("model", served.modelId());
          g.writeStringField("version", served.sha256());
          g.writeNumberField("step", served.step());
          g.writeStringField("balancer", served.manifest().balancer());
          g.writeObjectFieldStart("taskWeights");
          for (Map.Entry<String, Double> w : served.taskWeights().entrySet()) {
            g.writeNumberField(w.getKey(), w.getValue());
          }
          g.writeEndObject();
          ModelSpec spec = served.spec();
          g.writeNumberField("inputs", spec.inputs());
          g.writeArrayFieldStart("tasks");
          for (TaskSpec task : spec.tasks()) {
            g.writeStartObject();
            g.writeStringField("name", task.name());
            g.writeStringField("type", task.type().name().toLowerCase(Locale.ROOT));
            g.writeNumberField("outputs", task.outputs());
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeNumberField("parameterCount", served.manifest().parameterCount());
          g.writeNumberField("createdAtMillis", served.createdAtMillis());
          g.writeNumberField("newestEventTimestamp", served.newestEventTimestamp());
          g.writeNumberField("loadedAtMillis", served.loadedAtMillis());
          g.writeNumberField("ageSeconds", (nowMillis - served.createdAtMillis()) / 1000.0);
          if (served.newestEventTimestamp() >= 0) {
            g.writeNumberField(
                "freshnessSeconds", (nowMillis - served.newestEventTimestamp()) / 1000.0);
          } else {
            g.writeNullField("freshnessSeconds");
          }
          g.writeEndObject();
        });
  }

  /** {@code {"status": ..., "model"?: ..., "step"?: ...}}. */
  byte[] health(String status, ServedModel served) {
    return write(
        g -> {
          g.writeStartObject();
          g.writeStringField("status", status);
          if (served != null) {
            g.writeStringField("model", served.modelId());
            g.writeNumberField("step", served.step());
            g.writeStringField("version", served.sha256());
          }
          g.writeEndObject();
        });
  }

  /** {@code {"error": code, "message": text}}. */
  byte[] error(String code, String message) {
    return write(
        g -> {
          g.writeStartObject();
          g.writeStringField("error", code);
          g.writeStringField("message", message);
          g.writeEndObject();
        });
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private byte[] write(Body body) {
    var out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = json.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory failed", e);
    }
    return out.toByteArray();
  }
}
