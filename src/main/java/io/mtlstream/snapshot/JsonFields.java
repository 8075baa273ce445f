package io.mtlstream.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Strict typed reads of manifest JSON fields: each failure names the field, so a rejected snapshot
 * says what is wrong with it. Stateless and thread-safe.
 */
final class JsonFields {

  private JsonFields() {}

  static JsonNode field(JsonNode parent, String name) {
    JsonNode value = parent.get(name);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("field '" + name + "' is missing");
    }
    return value;
  }

  static String text(JsonNode n, String name) {
    if (!n.isTextual()) {
      throw new IllegalArgumentException("'" + name + "' must be a string, got " + n);
    }
    return n.textValue();
  }

  static long integral(JsonNode n, String name) {
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new IllegalArgumentException("'" + name + "' must be a 64-bit integer, got " + n);
    }
    return n.longValue();
  }

  static double number(JsonNode n, String name) {
    if (!n.isNumber()) {
      throw new IllegalArgumentException("'" + name + "' must be a number, got " + n);
    }
    return n.doubleValue();
  }

  static long longField(JsonNode parent, String name) {
    return integral(field(parent, name), name);
  }

  static int intField(JsonNode parent, String name) {
    return int32(field(parent, name), name);
  }

  static int int32(JsonNode n, String name) {
    long v = integral(n, name);
    if (v != (int) v) {
      throw new IllegalArgumentException("'" + name + "' must be a 32-bit integer, got " + v);
    }
    return (int) v;
  }

  static int[] ints(JsonNode n, String name) {
    return list(n, name, e -> int32(e, name)).stream().mapToInt(Integer::intValue).toArray();
  }

  static <T> List<T> list(JsonNode n, String name, Function<JsonNode, T> element) {
    if (!n.isArray()) {
      throw new IllegalArgumentException("'" + name + "' must be an array, got " + n);
    }
    var values = new ArrayList<T>(n.size());
    n.forEach(e -> values.add(element.apply(e)));
    return values;
  }

  static <T> Map<String, T> map(JsonNode n, String name, Function<JsonNode, T> value) {
    if (!n.isObject()) {
      throw new IllegalArgumentException("'" + name + "' must be an object, got " + n);
    }
    var values = new LinkedHashMap<String, T>();
    n.properties().forEach(e -> values.put(e.getKey(), value.apply(e.getValue())));
    return values;
  }
}
