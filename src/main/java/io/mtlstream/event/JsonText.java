package io.mtlstream.event;

import com.fasterxml.jackson.core.JsonToken;

/** Short, bounded phrases about JSON input for reject messages. Stateless. */
final class JsonText {

  private static final int MAX_NUMBER_TEXT = 40;

  private JsonText() {}

  /** "an array", "a string", "null"... as in "got a string". */
  static String describe(JsonToken t) {
    if (t == null) {
      return "end of input";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name() : t.asString();
    };
  }

  /**
   * For a number token whose float is not finite: "is NaN" / "is -Infinity" for the non-standard
   * tokens, "= 1e39 overflows float" for a finite decimal too large for a float.
   */
  static String nonFinite(String numberText) {
    boolean decimal = numberText.chars().anyMatch(Character::isDigit);
    return decimal ? "= " + clip(numberText) + " overflows float" : "is " + numberText;
  }

  /** Number texts may be up to Jackson's limit (1000 digits); messages stay short. */
  static String clip(String text) {
    return text.length() <= MAX_NUMBER_TEXT ? text : text.substring(0, MAX_NUMBER_TEXT - 3) + "...";
  }
}
