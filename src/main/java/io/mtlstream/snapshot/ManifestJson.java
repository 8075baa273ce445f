package io.mtlstream.snapshot;

import static io.mtlstream.snapshot.JsonFields.field;
import static io.mtlstream.snapshot.JsonFields.intField;
import static io.mtlstream.snapshot.JsonFields.integral;
import static io.mtlstream.snapshot.JsonFields.ints;
import static io.mtlstream.snapshot.JsonFields.list;
import static io.mtlstream.snapshot.JsonFields.longField;
import static io.mtlstream.snapshot.JsonFields.map;
import static io.mtlstream.snapshot.JsonFields.number;
import static io.mtlstream.snapshot.JsonFields.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mtlstream.snapshot.SnapshotFormatException.Reason;
import io.mtlstream.train.Activation;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.TaskSpec;
import io.mtlstream.train.TaskType;
import io.mtlstream.train.nn.ParameterLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * The manifest's JSON form (UTF-8). Written field by field rather than by reflection so that the
 * format is explicit here and renaming a Java component cannot silently change it. Readers ignore
 * fields they do not know: additive fields are allowed within a format version. Stateless and
 * thread-safe.
 */
public final class ManifestJson {

  /** Thread-safe once built; duplicate keys are rejected because they make a manifest ambiguous. */
  static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private ManifestJson() {}

  /** The manifest as a JSON object, fields in documented order. */
  public static ObjectNode toJson(SnapshotManifest m) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("formatVersion", m.formatVersion());
    root.put("modelId", m.modelId());
    root.set("model", modelJson(m.model()));
    m.tasks().forEach(root.putArray("tasks")::add);
    m.taskWeights().forEach(root.putObject("taskWeights")::put);
    root.put("step", m.step());
    m.trainedEvents().forEach(root.putObject("trainedEvents")::put);
    m.inputOffsets().forEach(root.putObject("inputOffsets")::put);
    root.put("createdAtMillis", m.createdAtMillis());
    root.put("newestEventTimestamp", m.newestEventTimestamp());
    root.put("parameterCount", m.parameterCount());
    root.put("balancer", m.balancer());
    return root;
  }

  static byte[] toBytes(SnapshotManifest m) {
    try {
      return MAPPER.writeValueAsBytes(toJson(m));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // a tree of plain values always serialises
    }
  }

  /**
   * Parses and validates a manifest.
   *
   * @throws SnapshotFormatException {@link Reason#PARAMETER_COUNT_MISMATCH} if {@code
   *     parameterCount} does not fit the model, {@link Reason#MALFORMED} for anything else
   */
  static SnapshotManifest parse(byte[] data, int offset, int length) {
    try {
      JsonNode root = MAPPER.readTree(data, offset, length);
      if (root == null || !root.isObject()) {
        throw new IllegalArgumentException("the manifest is not a JSON object");
      }
      ModelSpec model = parseModel(field(root, "model"));
      int parameterCount = intField(root, "parameterCount");
      int expected = new ParameterLayout(model).size();
      if (parameterCount != expected) {
        throw new SnapshotFormatException(
            Reason.PARAMETER_COUNT_MISMATCH,
            "snapshot manifest declares "
                + parameterCount
                + " parameters but its model "
                + model
                + " has "
                + expected);
      }
      return new SnapshotManifest(
          intField(root, "formatVersion"),
          text(field(root, "modelId"), "modelId"),
          model,
          list(field(root, "tasks"), "tasks", n -> text(n, "tasks[]")),
          map(field(root, "taskWeights"), "taskWeights", n -> number(n, "taskWeights")),
          longField(root, "step"),
          map(field(root, "trainedEvents"), "trainedEvents", n -> integral(n, "trainedEvents")),
          map(field(root, "inputOffsets"), "inputOffsets", n -> integral(n, "inputOffsets")),
          longField(root, "createdAtMillis"),
          longField(root, "newestEventTimestamp"),
          parameterCount,
          text(field(root, "balancer"), "balancer"));
    } catch (IOException | IllegalArgumentException e) {
      throw new SnapshotFormatException(
          Reason.MALFORMED, "invalid snapshot manifest: " + e.getMessage(), e);
    }
  }

  private static ObjectNode modelJson(ModelSpec spec) {
    ObjectNode model = MAPPER.createObjectNode();
    model.put("inputs", spec.inputs());
    ArrayNode trunk = model.putArray("trunkWidths");
    for (int w : spec.trunkWidths()) {
      trunk.add(w);
    }
    model.put("activation", spec.activation().name().toLowerCase(Locale.ROOT));
    ArrayNode tasks = model.putArray("tasks");
    for (TaskSpec t : spec.tasks()) {
      ObjectNode task = tasks.addObject();
      task.put("name", t.name());
      task.put("type", t.type().name().toLowerCase(Locale.ROOT));
      task.put("outputs", t.outputs());
      ArrayNode tower = task.putArray("towerWidths");
      for (int w : t.towerWidths()) {
        tower.add(w);
      }
    }
    return model;
  }

  private static ModelSpec parseModel(JsonNode model) {
    List<TaskSpec> tasks =
        list(
            field(model, "tasks"),
            "model.tasks",
            t ->
                new TaskSpec(
                    text(field(t, "name"), "name"),
                    TaskType.parse(text(field(t, "type"), "type")),
                    intField(t, "outputs"),
                    ints(field(t, "towerWidths"), "towerWidths")));
    return new ModelSpec(
        intField(model, "inputs"),
        ints(field(model, "trunkWidths"), "trunkWidths"),
        Activation.parse(text(field(model, "activation"), "activation")),
        tasks);
  }
}
