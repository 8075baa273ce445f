package io.mtlstream.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link TrainingReport} as UTF-8 JSON, one object per report, fields named and ordered like the
 * record's components. Standard JSON has no NaN or infinity, so every non-finite double (NaN, ±∞)
 * is written as {@code null} and read back as NaN: "not a number / not applicable". (Jackson's
 * default would write the string {@code "NaN"}, which dashboards then parse as text.) Readers
 * ignore unknown fields, so fields may be added without breaking consumers. Stateless and
 * thread-safe.
 */
public final class TrainingReportCodec {

  /** Thread-safe once built. */
  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private TrainingReportCodec() {}

  public static byte[] encode(TrainingReport r) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("model", r.model());
    root.put("step", r.step());
    r.events().forEach(root.putObject("events")::put);
    putDoubles(root.putObject("weights"), r.weights());
    putDoubles(root.putObject("losses"), r.losses());
    putDoubles(root.putObject("gradNorms"), r.gradNorms());
    putDoubles(root.putObject("inverseRates"), r.inverseRates());
    putDoubles(root.putObject("references"), r.references());
    putDoubles(root.putObject("targets"), r.targets());
    putDouble(root, "gradLoss", r.gradLoss());
    putDouble(root, "stepsPerSecond", r.stepsPerSecond());
    putDouble(root, "eventsPerSecond", r.eventsPerSecond());
    r.rejected().forEach(root.putObject("rejected")::put);
    root.put("ts", r.ts());
    ObjectNode quality = root.putObject("prequential");
    r.prequential().forEach((task, m) -> putDoubles(quality.putObject(task), m));
    r.snapshots().forEach(root.putObject("snapshots")::put);
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // a tree of plain values always serialises
    }
  }

  /**
   * @throws IllegalArgumentException if the bytes are not a valid report, naming the field
   */
  public static TrainingReport decode(byte[] json) {
    try {
      JsonNode root = MAPPER.readTree(json);
      if (root == null || !root.isObject()) {
        throw new IllegalArgumentException("not a JSON object");
      }
      return new TrainingReport(
          text(field(root, "model"), "model"),
          integral(field(root, "step"), "step"),
          map(root, "events", TrainingReportCodec::integral),
          map(root, "weights", TrainingReportCodec::number),
          map(root, "losses", TrainingReportCodec::number),
          map(root, "gradNorms", TrainingReportCodec::number),
          map(root, "inverseRates", TrainingReportCodec::number),
          map(root, "references", TrainingReportCodec::number),
          map(root, "targets", TrainingReportCodec::number),
          number(root.path("gradLoss"), "gradLoss"),
          number(root.path("stepsPerSecond"), "stepsPerSecond"),
          number(root.path("eventsPerSecond"), "eventsPerSecond"),
          map(root, "rejected", TrainingReportCodec::integral),
          integral(field(root, "ts"), "ts"),
          prequential(root.path("prequential")),
          root.has("snapshots") ? map(root, "snapshots", TrainingReportCodec::integral) : Map.of());
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid training report: " + e.getMessage(), e);
    }
  }

  /** Optional (older reports lack it): task → measure → value, JSON null → NaN. */
  private static Map<String, Map<String, Double>> prequential(JsonNode node) {
    Map<String, Map<String, Double>> out = new java.util.LinkedHashMap<>();
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              task -> {
                Map<String, Double> m = new java.util.LinkedHashMap<>();
                task.getValue()
                    .fields()
                    .forEachRemaining(e -> m.put(e.getKey(), number(e.getValue(), e.getKey())));
                out.put(task.getKey(), m);
              });
    }
    return out;
  }

  private static void putDoubles(ObjectNode node, Map<String, Double> values) {
    values.forEach((k, v) -> putDouble(node, k, v));
  }

  private static void putDouble(ObjectNode node, String name, double value) {
    if (Double.isFinite(value)) {
      node.put(name, value);
    } else {
      node.putNull(name);
    }
  }

  private static JsonNode field(JsonNode parent, String name) {
    JsonNode value = parent.get(name);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("field '" + name + "' is missing");
    }
    return value;
  }

  private static String text(JsonNode n, String name) {
    if (!n.isTextual()) {
      throw new IllegalArgumentException("'" + name + "' must be a string, got " + n);
    }
    return n.textValue();
  }

  private static long integral(JsonNode n, String name) {
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new IllegalArgumentException("'" + name + "' must be an integer, got " + n);
    }
    return n.longValue();
  }

  /** JSON null stands for a non-finite value; a missing field is an error. */
  private static double number(JsonNode n, String name) {
    if (n.isMissingNode()) {
      throw new IllegalArgumentException("field '" + name + "' is missing");
    }
    if (n.isNull()) {
      return Double.NaN;
    }
    if (!n.isNumber()) {
      throw new IllegalArgumentException("'" + name + "' must be a number or null, got " + n);
    }
    return n.doubleValue();
  }

  private interface Reader<T> {
    T read(JsonNode node, String name);
  }

  private static <T> Map<String, T> map(JsonNode root, String name, Reader<T> reader) {
    JsonNode n = field(root, name);
    if (!n.isObject()) {
      throw new IllegalArgumentException("'" + name + "' must be an object, got " + n);
    }
    var values = new LinkedHashMap<String, T>();
    n.properties().forEach(e -> values.put(e.getKey(), reader.read(e.getValue(), name)));
    return values;
  }
}
