package io.mtlstream.event;

import com.fasterxml.jackson.core.io.NumberInput;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the plain shape of a JSON event straight from its bytes into an {@link EventScan}, about
 * three times faster than Jackson's tokens (docs/BENCHMARKS.md, "Decoding"): most of a toy event's
 * cost is its feature array, and Jackson copies each number's text into a buffer before parsing it.
 *
 * <p>"Plain" is strict JSON in ASCII with no string escapes, the known fields as {@link EventScan}
 * reads them, and unknown fields with scalar values. Anything else — a syntax error, an escape,
 * non-ASCII text, a nested unknown value, a duplicate field, NaN, a number too long or out of float
 * range, {@code -0} as an integer — makes {@link #read} decline, and the caller reads the record
 * with Jackson from the start. So every record this reader accepts gets exactly the fields Jackson
 * would have read, and every other record gets Jackson's verdict and message.
 *
 * <p>Numbers are rounded once, to the nearest float, as Jackson's exact parser does: a significand
 * below 2^53 and a power of ten up to 10^22 are both exact doubles, so one IEEE multiply or divide
 * rounds their value correctly to a double; converting that double to a float is then correct
 * unless it lies exactly halfway between two floats (double rounding), and those rare values, like
 * every other number outside this fast case, go to Jackson's own float parser. One instance per
 * record; not thread-safe.
 */
final class PlainJsonReader {

  /** Not plain: read this record with Jackson. Preallocated and stackless: declining is cheap. */
  private static final class Decline extends RuntimeException {
    Decline() {
      super(null, null, false, false);
    }
  }

  private static final Decline DECLINE = new Decline();

  /** Longer numbers are rare and near Jackson's length limit: let Jackson judge them. */
  private static final int MAX_NUMBER_CHARS = 64;

  /** Longer unknown names are rare and near Jackson's name limit: let Jackson judge them. */
  private static final int MAX_NAME_CHARS = 256;

  /** 18 decimal digits always fit a long. */
  private static final int MAX_DIGITS = 18;

  private static final long EXACT_SIGNIFICAND = 1L << 53;
  private static final double[] POWERS_OF_TEN = new double[23]; // all exact as doubles

  static {
    POWERS_OF_TEN[0] = 1;
    for (int i = 1; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
    }
  }

  private final byte[] b;
  private final EventScan scan;
  private int pos;

  /** The last number read: where its token starts (it ends at pos), its value if an integer. */
  private int numberStart;

  private boolean numberIsInteger;

  /** The count of the last array read by {@link #numbers}. */
  private int arrayLength;

  private long integerValue;

  private PlainJsonReader(byte[] bytes, EventScan scan) {
    this.b = bytes;
    this.scan = scan;
  }

  /**
   * Fills {@code scan} from a plain record and returns true, or returns false, leaving {@code scan}
   * partly filled, when Jackson must read the record.
   */
  static boolean read(byte[] value, EventScan scan) {
    try {
      new PlainJsonReader(value, scan).object();
      return true;
    } catch (Decline | ArrayIndexOutOfBoundsException e) {
      // Running off the end is truncated input: Jackson words that error.
      return false;
    }
  }

  private void object() {
    expect(skipSpace(), '{');
    if (skipSpace() == '}') {
      pos++;
    } else {
      do {
        field();
      } while (separator('}'));
    }
    while (pos < b.length) {
      if (!isSpace(b[pos++])) {
        throw DECLINE;
      }
    }
  }

  private void field() {
    expect(skipSpace(), '"');
    int start = pos;
    int end = stringEnd();
    expect(skipSpace(), ':');
    skipSpace();
    switch (knownField(start, end - start)) {
      case EventScan.ID -> scan.id = stringOrNull(EventScan.ID);
      case EventScan.MODEL -> scan.model = stringOrNull(EventScan.MODEL);
      case EventScan.TASK -> scan.task = stringOrNull(EventScan.TASK);
      case EventScan.TS -> timestamp();
      case EventScan.FEATURES -> features();
      case EventScan.LABEL -> label();
      default -> {
        if (end - start > MAX_NAME_CHARS) {
          throw DECLINE;
        }
        skipScalar();
      }
    }
  }

  /** The bit of a known field name, or 0. */
  private int knownField(int start, int length) {
    return switch (length) {
      case 2 -> is(start, "id") ? EventScan.ID : is(start, "ts") ? EventScan.TS : 0;
      case 4 -> is(start, "task") ? EventScan.TASK : 0;
      case 5 -> is(start, "model") ? EventScan.MODEL : is(start, "label") ? EventScan.LABEL : 0;
      case 8 -> is(start, "features") ? EventScan.FEATURES : 0;
      default -> 0;
    };
  }

  private boolean is(int start, String name) {
    for (int i = 0; i < name.length(); i++) {
      if (b[start + i] != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** A duplicate known field is an error Jackson's reader reports. */
  private void mark(int bit) {
    if (!scan.firstOf(bit)) {
      throw DECLINE;
    }
  }

  private String stringOrNull(int bit) {
    mark(bit);
    if (literal("null")) {
      return null;
    }
    expect(b[pos], '"');
    int start = pos;
    int end = stringEnd();
    return new String(b, start, end - start, StandardCharsets.ISO_8859_1); // ASCII only
  }

  private void timestamp() {
    mark(EventScan.TS);
    if (literal("null")) {
      return;
    }
    if (b[pos] == '-') {
      throw DECLINE; // negative, or -0: Jackson's reader decides
    }
    number();
    if (!numberIsInteger) {
      throw DECLINE;
    }
    scan.hasTimestamp = true;
    scan.timestamp = integerValue;
  }

  private void features() {
    mark(EventScan.FEATURES);
    if (literal("null")) {
      return;
    }
    expect(b[pos], '[');
    // Sized by the schema, as EventScan sizes it: extra values are only counted.
    scan.features = numbers(new float[scan.expectedFeatures()], false);
    scan.featureCount = arrayLength;
  }

  private void label() {
    mark(EventScan.LABEL);
    if (literal("null")) {
      scan.labelShape = EventScan.LabelShape.NULL;
    } else if (literal("true")) {
      booleanLabel(true);
    } else if (literal("false")) {
      booleanLabel(false);
    } else if (b[pos] == '[') {
      pos++;
      labelArray();
    } else {
      scan.labelShape = EventScan.LabelShape.NUMBER;
      float v = number();
      String text = numberText();
      scan.labelText = JsonText.clip(text);
      scan.labelFloat = v;
      // As EventScan: the double comes from the text, not from the float.
      scan.labelDouble = numberIsInteger ? integerValue : Double.parseDouble(text);
    }
  }

  private void booleanLabel(boolean value) {
    scan.labelShape = EventScan.LabelShape.BOOLEAN;
    scan.labelText = String.valueOf(value);
    scan.labelFloat = value ? 1 : 0;
    scan.labelDouble = scan.labelFloat;
  }

  private void labelArray() {
    scan.labelShape = EventScan.LabelShape.ARRAY;
    scan.labelValues = numbers(new float[4], true); // grown as EventScan grows it
    scan.labelLength = arrayLength;
  }

  /**
   * The numbers of an array whose '[' is read, through its ']': stored in {@code values} while they
   * fit, which doubles when full if {@code grow}, else only counted. The count goes to {@link
   * #arrayLength}.
   */
  private float[] numbers(float[] values, boolean grow) {
    int n = 0;
    if (skipSpace() == ']') {
      pos++;
    } else {
      do {
        skipSpace();
        float v = number();
        if (grow && n == values.length) {
          values = Arrays.copyOf(values, 2 * n);
        }
        if (n < values.length) {
          values[n] = v;
        }
        n++;
      } while (separator(']'));
    }
    arrayLength = n;
    return values;
  }

  /** An unknown field's value: a string, number, boolean or null. */
  private void skipScalar() {
    byte c = b[pos];
    if (c == '"') {
      pos++;
      stringEnd();
    } else if (!literal("null") && !literal("true") && !literal("false")) {
      number();
    }
  }

  /**
   * Reads a JSON number token at {@code pos} to the nearest float. Declines a token that is not
   * strict JSON, not followed by a delimiter, too long, out of float range, or the integer -0
   * (whose float sign Jackson's integer path decides).
   */
  private float number() {
    byte[] b = this.b; // locals: the digit loops run in registers
    int start = pos;
    int at = start;
    boolean negative = b[at] == '-';
    if (negative) {
      at++;
    }
    int first = at;
    long significand = 0; // wraps after 18 digits, and is then not used
    byte c = b[at];
    if (c == '0') {
      at++; // JSON allows no leading zeros: a digit after it fails the delimiter check below
    } else if (c >= '1' && c <= '9') {
      while ((c = b[at]) >= '0' && c <= '9') {
        significand = significand * 10 + (c - '0');
        at++;
      }
    } else {
      throw DECLINE;
    }
    int digits = at - first; // leading zeros included: a bound, so the long cannot overflow
    int exponent = 0;
    boolean integer = true;
    if (b[at] == '.') {
      integer = false;
      int fraction = ++at;
      while ((c = b[at]) >= '0' && c <= '9') {
        significand = significand * 10 + (c - '0');
        at++;
      }
      if (at == fraction) {
        throw DECLINE;
      }
      exponent = fraction - at;
      digits += at - fraction;
    }
    pos = at;
    if ((c = b[at]) == 'e' || c == 'E') {
      integer = false;
      exponent += exponentPart();
    }
    if (pos - start > MAX_NUMBER_CHARS || !isDelimiter(b[pos])) {
      throw DECLINE;
    }
    numberStart = start;
    numberIsInteger = integer;
    if (integer) {
      if (digits > MAX_DIGITS || (negative && significand == 0)) {
        throw DECLINE;
      }
      integerValue = negative ? -significand : significand;
      return integerValue; // long to float rounds to nearest
    }
    if (digits <= MAX_DIGITS && significand < EXACT_SIGNIFICAND && Math.abs(exponent) <= 22) {
      double d =
          exponent < 0
              ? significand / POWERS_OF_TEN[-exponent]
              : significand * POWERS_OF_TEN[exponent];
      if (significand == 0 || !halfwayBetweenFloats(d)) {
        float f = (float) d;
        return negative ? -f : f;
      }
    }
    return exactFloat();
  }

  /** [eE][+-]?digits, as a value clamped far beyond any float's range. */
  private int exponentPart() {
    pos++;
    boolean negative = b[pos] == '-';
    if (negative || b[pos] == '+') {
      pos++;
    }
    int first = pos;
    int value = 0;
    byte c;
    while ((c = b[pos]) >= '0' && c <= '9') {
      value = Math.min(value * 10 + (c - '0'), 100_000);
      pos++;
    }
    if (pos == first) {
      throw DECLINE;
    }
    return negative ? -value : value;
  }

  /**
   * Whether a double of float range lies exactly halfway between two floats: its 29 significand
   * bits below a float's 24 are 1 followed by zeros. (Only normal floats reach here: the fast
   * case's values are 0 or at least 10^-22.)
   */
  private static boolean halfwayBetweenFloats(double d) {
    return (Double.doubleToRawLongBits(d) & 0x1FFF_FFFFL) == 0x1000_0000L;
  }

  private float exactFloat() {
    String text = numberText();
    float f = NumberInput.parseFloat(text, true);
    if (!Float.isFinite(f)) {
      throw DECLINE; // Jackson's reader words the overflow
    }
    return f;
  }

  /** The text of the number token just read. */
  private String numberText() {
    return new String(b, numberStart, pos - numberStart, StandardCharsets.ISO_8859_1);
  }

  /** Skips a string's body to just past its closing quote; returns where the body ends. */
  private int stringEnd() {
    byte c;
    while ((c = b[pos]) != '"') {
      if (c < 0x20 || c == '\\') { // bytes >= 0x80 are negative: non-ASCII is declined too
        throw DECLINE;
      }
      pos++;
    }
    return pos++;
  }

  /** After a value: true at a comma, false past {@code close}; declines anything else. */
  private boolean separator(char close) {
    byte c = skipSpace();
    pos++;
    if (c == ',') {
      return true;
    }
    if (c != close) {
      throw DECLINE;
    }
    return false;
  }

  private boolean literal(String word) {
    for (int i = 0; i < word.length(); i++) {
      if (b[pos + i] != word.charAt(i)) {
        return false;
      }
    }
    if (!isDelimiter(b[pos + word.length()])) {
      throw DECLINE;
    }
    pos += word.length();
    return true;
  }

  private byte skipSpace() {
    byte c;
    while (isSpace(c = b[pos])) {
      pos++;
    }
    return c;
  }

  private void expect(byte c, char wanted) {
    if (c != wanted) {
      throw DECLINE;
    }
    pos++;
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  private static boolean isDelimiter(byte c) {
    return c == ',' || c == ']' || c == '}' || isSpace(c);
  }
}
