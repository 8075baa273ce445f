package io.mtlstream.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;

/**
 * The raw fields of one record, read in a single streaming pass without a tree. Judging them (task,
 * counts, label fit) is left to {@link EventDecoder}, so that the reported reason does not depend
 * on the order of the JSON fields. One instance per record; not thread-safe.
 */
final class EventScan {

  /** The record is not a JSON object of the event's shape; stackless, it is expected input. */
  static final class Malformed extends Exception {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  enum LabelShape {
    ABSENT,
    NULL,
    NUMBER,
    BOOLEAN,
    ARRAY,
    OTHER
  }

  /** The known fields, as bits of the set of fields seen. */
  static final int ID = 1, MODEL = 2, TASK = 4, TS = 8, FEATURES = 16, LABEL = 32;

  private final int expectedFeatures;
  private int seen;

  /**
   * Set by the binary reader, where arrays are length-prefixed and a count of 0 is the only way to
   * leave features or labels out; only the reject messages differ.
   */
  boolean binary;

  String id;
  String model;
  String task;
  boolean hasTimestamp;
  long timestamp;

  /** Null when absent or JSON null; holds at most the expected count, extra values are counted. */
  float[] features;

  int featureCount;
  int badFeature = -1;
  String badFeatureProblem;

  LabelShape labelShape = LabelShape.ABSENT;
  String labelText;
  float labelFloat;
  double labelDouble;
  float[] labelValues;
  int labelLength;
  String labelProblem;

  EventScan(int expectedFeatures) {
    this.expectedFeatures = expectedFeatures;
  }

  boolean seenFeatures() {
    return (seen & FEATURES) != 0;
  }

  int expectedFeatures() {
    return expectedFeatures;
  }

  /** Marks a known field as seen; false if it was seen before. */
  boolean firstOf(int bit) {
    boolean first = (seen & bit) == 0;
    seen |= bit;
    return first;
  }

  void read(JsonParser p) throws IOException, Malformed {
    JsonToken first = p.nextToken();
    if (first != JsonToken.START_OBJECT) {
      throw new Malformed("expected a JSON object, got " + JsonText.describe(first));
    }
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      switch (name) {
        case "id" -> id = readString(p, t, ID, "id");
        case "model" -> model = readString(p, t, MODEL, "model");
        case "task" -> task = readString(p, t, TASK, "task");
        case "ts" -> readTimestamp(p, t);
        case "features" -> readFeatures(p, t);
        case "label" -> readLabel(p, t);
        default -> p.skipChildren(); // unknown fields are ignored: producers may add context
      }
    }
    JsonToken after = p.nextToken();
    if (after != null) {
      throw new Malformed("unexpected " + JsonText.describe(after) + " after the event object");
    }
  }

  /**
   * Duplicate known fields are rejected rather than "last wins": JSON parsers disagree on which
   * duplicate counts, and a training label must mean the same thing to every reader.
   */
  private void mark(int bit, String name) throws Malformed {
    if (!firstOf(bit)) {
      throw new Malformed("duplicate field '" + name + "'");
    }
  }

  private String readString(JsonParser p, JsonToken t, int bit, String name)
      throws IOException, Malformed {
    mark(bit, name);
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw new Malformed("'" + name + "' must be a string, got " + JsonText.describe(t));
    }
    return p.getText();
  }

  private void readTimestamp(JsonParser p, JsonToken t) throws IOException, Malformed {
    mark(TS, "ts");
    if (t == JsonToken.VALUE_NULL) {
      return;
    }
    if (t != JsonToken.VALUE_NUMBER_INT
        || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
        || p.getLongValue() < 0) {
      throw new Malformed("'ts' must be epoch milliseconds (an integer >= 0), got " + text(p, t));
    }
    hasTimestamp = true;
    timestamp = p.getLongValue();
  }

  private void readFeatures(JsonParser p, JsonToken t) throws IOException, Malformed {
    mark(FEATURES, "features");
    if (t == JsonToken.VALUE_NULL) {
      return;
    }
    if (t != JsonToken.START_ARRAY) {
      throw new Malformed("'features' must be an array of numbers, got " + JsonText.describe(t));
    }
    // Sized by the schema: a well-formed record never grows it; extra values are only counted.
    float[] values = new float[expectedFeatures];
    int n = 0;
    for (t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), n++) {
      endOfInput(t);
      float v;
      if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
        v = p.getFloatValue(); // parsed straight to float: no double rounding
      } else if (t == JsonToken.VALUE_NULL) {
        v = Float.NaN; // what JavaScript's JSON.stringify makes of NaN and Infinity
      } else {
        throw new Malformed(
            "feature[" + n + "] is " + JsonText.describe(t) + ", expected a number");
      }
      if (!Float.isFinite(v) && badFeature < 0) {
        badFeature = n;
        badFeatureProblem = nonFinite(p, t);
      }
      if (n < values.length) {
        values[n] = v;
      }
    }
    features = values;
    featureCount = n;
  }

  private void readLabel(JsonParser p, JsonToken t) throws IOException, Malformed {
    mark(LABEL, "label");
    switch (t) {
      case VALUE_NULL -> labelShape = LabelShape.NULL;
      case VALUE_TRUE, VALUE_FALSE -> {
        labelShape = LabelShape.BOOLEAN;
        labelText = p.getText();
        labelFloat = t == JsonToken.VALUE_TRUE ? 1 : 0;
        labelDouble = labelFloat;
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        labelShape = LabelShape.NUMBER;
        String text = p.getText();
        labelText = JsonText.clip(text);
        labelFloat = p.getFloatValue();
        // The double (for integer and 0/1 checks) is parsed from the text: converting the float
        // would hide fractions like 2.0000000001.
        labelDouble =
            t == JsonToken.VALUE_NUMBER_INT || !Float.isFinite(labelFloat)
                ? p.getDoubleValue()
                : Double.parseDouble(text);
      }
      case START_ARRAY -> readLabelArray(p);
      default -> {
        labelShape = LabelShape.OTHER;
        labelText = JsonText.describe(t);
        p.skipChildren();
      }
    }
  }

  private void readLabelArray(JsonParser p) throws IOException, Malformed {
    labelShape = LabelShape.ARRAY;
    float[] values = new float[4];
    int n = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), n++) {
      endOfInput(t);
      float v = Float.NaN;
      if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
        v = p.getFloatValue();
        if (!Float.isFinite(v) && labelProblem == null) {
          labelProblem = "label[" + n + "] " + nonFinite(p, t);
        }
      } else if (labelProblem == null) {
        labelProblem = "label[" + n + "] is " + JsonText.describe(t) + ", expected a number";
      }
      p.skipChildren(); // no-op unless a nested array or object
      if (n == values.length) {
        values = Arrays.copyOf(values, 2 * n);
      }
      values[n] = v;
    }
    labelValues = values;
    labelLength = n;
  }

  /** Jackson reports truncated input itself; this only guards the loops against spinning. */
  private static void endOfInput(JsonToken t) throws Malformed {
    if (t == null) {
      throw new Malformed("unexpected end of input inside an array");
    }
  }

  /** "is null", or how the number token is not finite. */
  private static String nonFinite(JsonParser p, JsonToken t) throws IOException {
    return t == JsonToken.VALUE_NULL ? "is null" : JsonText.nonFinite(p.getText());
  }

  private static String text(JsonParser p, JsonToken t) throws IOException {
    return t.isScalarValue() && t != JsonToken.VALUE_STRING
        ? JsonText.clip(p.getText())
        : JsonText.describe(t);
  }
}
