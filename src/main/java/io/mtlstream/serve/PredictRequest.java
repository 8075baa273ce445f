package io.mtlstream.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import java.io.IOException;
import java.util.Arrays;

/**
 * A parsed {@code POST /predict} body: {@code {"model": "default"?, "features": [..]}} for one row
 * or {@code {"rows": [[..], [..]]}} for several. Parsed with a streaming parser straight into one
 * float array (no tree of boxed numbers); unknown fields are ignored. Each number is rounded to the
 * nearest float32, and one that overflows it is rejected as non-finite.
 *
 * @param model the requested model id, or null for the server's default
 * @param features {@code rows × width} values, row-major
 * @param rows row count (≥ 1)
 * @param width values per row
 * @param single whether the request used {@code "features"} (one row, unwrapped answers)
 */
record PredictRequest(String model, float[] features, int rows, int width, boolean single) {

  /**
   * @throws ServeError 400 for malformed JSON or a body of the wrong shape, 413 for too many rows
   */
  static PredictRequest parse(JsonFactory json, byte[] body, int maxRows) {
    try (JsonParser p = json.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw ServeError.badRequest("bad_request", "the body must be a JSON object");
      }
      String model = null;
      Values values = null;
      boolean single = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken token = p.nextToken();
        switch (field) {
          case "model" -> model = model(p, token);
          case "features", "rows" -> {
            if (values != null) {
              throw ServeError.badRequest(
                  "bad_request", "give either \"features\" (one row) or \"rows\", not both");
            }
            single = field.equals("features");
            values = single ? row(p, token, new Values(), "features") : rows(p, token, maxRows);
          }
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw ServeError.badRequest("bad_json", "unexpected content after the JSON object");
      }
      if (values == null) {
        throw ServeError.badRequest(
            "bad_request", "missing \"features\" (one row) or \"rows\" (a list of rows)");
      }
      int rows = single ? 1 : values.rows;
      int width = single ? values.size : values.width;
      return new PredictRequest(model, values.toArray(), rows, width, single);
    } catch (StreamReadException e) {
      throw ServeError.badRequest("bad_json", "malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ServeError.badRequest("bad_json", "unreadable body: " + e.getMessage());
    }
  }

  private static String model(JsonParser p, JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token != JsonToken.VALUE_STRING || p.getText().isBlank()) {
      throw ServeError.badRequest("bad_request", "\"model\" must be a non-empty string");
    }
    return p.getText();
  }

  private static Values rows(JsonParser p, JsonToken token, int maxRows) throws IOException {
    if (token != JsonToken.START_ARRAY) {
      throw ServeError.badRequest("bad_request", "\"rows\" must be an array of arrays of numbers");
    }
    Values values = new Values();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (values.rows == maxRows) {
        throw new ServeError(413, "too_many_rows", "at most " + maxRows + " rows per request");
      }
      int before = values.size;
      row(p, p.currentToken(), values, "rows[" + values.rows + "]");
      int width = values.size - before;
      if (values.rows > 0 && width != values.width) {
        throw ServeError.badRequest(
            "wrong_feature_count",
            "rows[" + values.rows + "] has " + width + " features, rows[0] has " + values.width);
      }
      values.width = width;
      values.rows++;
    }
    if (values.rows == 0) {
      throw ServeError.badRequest("bad_request", "\"rows\" must hold at least one row");
    }
    return values;
  }

  private static Values row(JsonParser p, JsonToken token, Values into, String name)
      throws IOException {
    if (token != JsonToken.START_ARRAY) {
      throw ServeError.badRequest("bad_request", name + " must be an array of numbers");
    }
    int index = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
        throw ServeError.badRequest(
            "bad_request", name + "[" + index + "] must be a number, got " + describe(p, t));
      }
      float v = p.getFloatValue();
      if (!Float.isFinite(v)) {
        throw ServeError.badRequest(
            "non_finite",
            name + "[" + index + "] = " + p.getText() + " is not a finite float32 value");
      }
      into.add(v);
      index++;
    }
    return into;
  }

  private static String describe(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case VALUE_STRING -> "the string \"" + abbreviate(p.getText()) + "\"";
      case START_ARRAY -> "an array";
      case START_OBJECT -> "an object";
      default -> p.getText();
    };
  }

  private static String abbreviate(String s) {
    return s.length() <= 32 ? s : s.substring(0, 32) + "…";
  }

  /** A growable float array. */
  private static final class Values {
    private float[] data = new float[256];
    private int size;
    private int rows;
    private int width;

    void add(float v) {
      if (size == data.length) {
        data = Arrays.copyOf(data, data.length * 2);
      }
      data[size++] = v;
    }

    float[] toArray() {
      return Arrays.copyOf(data, size);
    }
  }
}
