package io.mtlstream.event;

import static io.mtlstream.event.BinaryEventFormat.FLAG_ID;
import static io.mtlstream.event.BinaryEventFormat.FLAG_MODEL;
import static io.mtlstream.event.BinaryEventFormat.FLAG_TASK;
import static io.mtlstream.event.BinaryEventFormat.FLAG_TIMESTAMP;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * Decodes and validates record values in the binary event encoding ({@link BinaryEventFormat},
 * docs/EVENT_FORMAT.md) against an {@link EventSchema}, with exactly the checks and reject reasons
 * of the JSON {@link EventDecoder}; bytes that are not a version-1 binary event are {@link
 * RejectReason#MALFORMED_BINARY}. Bad input is returned as {@link Decoded.Invalid}, never thrown.
 *
 * <p>Mirrors the JSON rules: an absent model is {@code default}, an absent timestamp is the
 * record's, the task is optional on a task topic (checked against it when present) and required on
 * the mixed topic; a feature or label count of 0 is a missing field.
 *
 * <p>Thread-safe and reusable: all per-record state lives on the stack of {@link #decode}.
 */
public final class BinaryEventDecoder {

  private static final float[] NO_FEATURES = new float[0];

  private final EventSchema schema;
  private final EventChecks checks;

  public BinaryEventDecoder(EventSchema schema) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.checks = new EventChecks(schema);
  }

  public EventSchema schema() {
    return schema;
  }

  /**
   * Decodes one record value.
   *
   * @param value the record value (null, a tombstone, is malformed)
   * @param topicTask the task implied by the topic, or null on a mixed topic (task from payload)
   * @param recordTimestamp the record's timestamp, used when the payload has no timestamp
   */
  public Decoded decode(byte[] value, String topicTask, long recordTimestamp) {
    if (value == null) {
      return EventChecks.invalid(RejectReason.MALFORMED_BINARY, "record value is null");
    }
    Decoded.Invalid oversized = checks.oversized(value);
    if (oversized != null) {
      return oversized;
    }
    EventScan scan = new EventScan(schema.features());
    scan.binary = true;
    try {
      read(ByteBuffer.wrap(value).order(BinaryEventFormat.ORDER), scan);
    } catch (EventScan.Malformed e) {
      return EventChecks.invalid(RejectReason.MALFORMED_BINARY, e.getMessage());
    }
    return checks.judge(scan, topicTask, recordTimestamp);
  }

  private void read(ByteBuffer b, EventScan s) throws EventScan.Malformed {
    need(b, BinaryEventFormat.HEADER_BYTES, "the header (magic, version, flags)");
    byte magic = b.get();
    if (magic != BinaryEventFormat.MAGIC) {
      throw new EventScan.Malformed(magicProblem(magic));
    }
    int version = b.get() & 0xFF;
    if (version != BinaryEventFormat.VERSION) {
      throw new EventScan.Malformed(
          "binary event version "
              + version
              + " is not supported (this build reads version "
              + BinaryEventFormat.VERSION
              + ")");
    }
    int flags = b.get() & 0xFF;
    if ((flags & ~BinaryEventFormat.KNOWN_FLAGS) != 0) {
      throw new EventScan.Malformed(
          String.format(
              Locale.ROOT,
              "unknown flag bits 0x%02X (version 1 defines 0x%02X)",
              flags & ~BinaryEventFormat.KNOWN_FLAGS,
              BinaryEventFormat.KNOWN_FLAGS));
    }
    s.model = (flags & FLAG_MODEL) != 0 ? string(b, "model") : null;
    s.task = (flags & FLAG_TASK) != 0 ? string(b, "task") : null;
    s.id = (flags & FLAG_ID) != 0 ? string(b, "id") : null;
    if ((flags & FLAG_TIMESTAMP) != 0) {
      need(b, 8, "the timestamp");
      long ts = b.getLong();
      if (ts < 0) {
        throw new EventScan.Malformed("timestamp must be epoch milliseconds >= 0, got " + ts);
      }
      s.hasTimestamp = true;
      s.timestamp = ts;
    }
    readFeatures(b, s);
    readLabels(b, s);
    if (b.hasRemaining()) {
      throw new EventScan.Malformed(b.remaining() + " unexpected bytes after the labels");
    }
  }

  private void readFeatures(ByteBuffer b, EventScan s) throws EventScan.Malformed {
    int n = count(b, "feature");
    if (n == 0) {
      return; // features stay null: missing
    }
    s.featureCount = n;
    if (n != schema.features()) {
      // Reported as a wrong count, which takes precedence over the values: they are not needed.
      s.features = NO_FEATURES;
      b.position(b.position() + 4 * n);
      return;
    }
    float[] values = new float[n];
    b.asFloatBuffer().get(values);
    b.position(b.position() + 4 * n);
    for (int i = 0; i < n; i++) {
      if (!Float.isFinite(values[i])) {
        s.badFeature = i;
        s.badFeatureProblem = "is " + values[i];
        break;
      }
    }
    s.features = values;
  }

  private static void readLabels(ByteBuffer b, EventScan s) throws EventScan.Malformed {
    int m = count(b, "label");
    if (m == 0) {
      return; // label stays ABSENT: missing
    }
    float[] values = new float[m];
    b.asFloatBuffer().get(values);
    b.position(b.position() + 4 * m);
    if (m == 1) {
      s.labelShape = EventScan.LabelShape.NUMBER;
      s.labelFloat = values[0];
      s.labelDouble = values[0]; // exact: the float is the value, there is no text to re-parse
      s.labelText = text(values[0]);
      return;
    }
    s.labelShape = EventScan.LabelShape.ARRAY;
    s.labelValues = values;
    s.labelLength = m;
    for (int i = 0; i < m; i++) {
      if (!Float.isFinite(values[i])) {
        s.labelProblem = "label[" + i + "] is " + values[i];
        break;
      }
    }
  }

  /** A u32 count of float32 values that must fit in the remaining bytes. */
  private static int count(ByteBuffer b, String what) throws EventScan.Malformed {
    need(b, 4, "the " + what + " count");
    long n = Integer.toUnsignedLong(b.getInt());
    if (n > b.remaining() / 4) {
      throw new EventScan.Malformed(
          "truncated at byte "
              + b.position()
              + ": "
              + what
              + " count "
              + n
              + " needs "
              + 4 * n
              + " bytes, "
              + b.remaining()
              + " remain");
    }
    return (int) n;
  }

  private static String string(ByteBuffer b, String what) throws EventScan.Malformed {
    need(b, 2, "the " + what + " length");
    int length = b.getShort() & 0xFFFF;
    need(b, length, "the " + what);
    int start = b.position();
    b.position(start + length);
    byte[] a = b.array();
    boolean ascii = true;
    for (int i = start; i < start + length && ascii; i++) {
      ascii = a[i] >= 0;
    }
    if (ascii) {
      return new String(a, start, length, StandardCharsets.US_ASCII);
    }
    try {
      // newDecoder() reports malformed input instead of replacing it with U+FFFD.
      CharBuffer text =
          StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(a, start, length));
      return text.toString();
    } catch (CharacterCodingException e) {
      throw new EventScan.Malformed(what + " is not valid UTF-8");
    }
  }

  private static void need(ByteBuffer b, int bytes, String what) throws EventScan.Malformed {
    if (b.remaining() < bytes) {
      throw new EventScan.Malformed(
          "truncated at byte "
              + b.position()
              + ": "
              + what
              + " needs "
              + bytes
              + " bytes, "
              + b.remaining()
              + " remain");
    }
  }

  private static String magicProblem(byte magic) {
    String got = String.format(Locale.ROOT, "0x%02X", magic & 0xFF);
    return magic == '{'
        ? "expected the binary magic byte 0xB7, got "
            + got
            + " ('{'): JSON on a binary topic?"
            + " set the topic's encoding to json or auto"
        : "expected the binary magic byte 0xB7, got " + got;
  }

  /** Label values in messages: integers as integers, like the JSON text they mirror. */
  static String text(float v) {
    return v == Math.rint(v) && Math.abs(v) <= 1 << 24
        ? Integer.toString((int) v)
        : Float.toString(v);
  }
}
