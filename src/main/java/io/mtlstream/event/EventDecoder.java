package io.mtlstream.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.util.Objects;

/**
 * Decodes and validates record values in the wire format (see {@code
 * schema/labeled-event.schema.json}) against an {@link EventSchema}. Bad input is returned as
 * {@link Decoded.Invalid} with a {@link RejectReason}, never thrown.
 *
 * <p>Rules beyond the JSON schema: unknown fields are ignored; a known field given twice is
 * malformed (no "last wins"); JSON {@code null} for {@code id}, {@code model}, {@code task} or
 * {@code ts} means absent; a one-element array is accepted as the label of a one-output regression
 * task. When several problems exist, the first in {@link RejectReason} declaration order is
 * reported; the checks are shared with the binary encoding ({@link BinaryEventDecoder}).
 *
 * <p>Thread-safe and reusable: all per-record state lives on the stack of {@link #decode}.
 */
public final class EventDecoder {

  /** The model id of events that name none. */
  public static final String DEFAULT_MODEL = "default";

  // NaN/Infinity tokens are parsed so that they are reported as non-finite features rather than
  // as syntax errors; the fast parser is exact and noticeably quicker on feature arrays.
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .build();

  private final EventSchema schema;
  private final EventChecks checks;
  private final boolean plainReader;

  public EventDecoder(EventSchema schema) {
    this(schema, true);
  }

  /**
   * @param plainReader whether plain records are read by {@link PlainJsonReader} (the default)
   *     rather than through Jackson's tokens; the verdicts are the same, so false is only for the
   *     decode benchmark and the equivalence tests
   */
  public EventDecoder(EventSchema schema, boolean plainReader) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.checks = new EventChecks(schema);
    this.plainReader = plainReader;
  }

  public EventSchema schema() {
    return schema;
  }

  /**
   * Decodes one record value.
   *
   * @param value the record value (null, a tombstone, is malformed)
   * @param topicTask the task implied by the topic, or null on a mixed topic (task from payload)
   * @param recordTimestamp the record's timestamp, used when the payload has no {@code ts}
   */
  public Decoded decode(byte[] value, String topicTask, long recordTimestamp) {
    if (value == null) {
      return EventChecks.invalid(RejectReason.MALFORMED_JSON, "record value is null");
    }
    Decoded.Invalid oversized = checks.oversized(value);
    if (oversized != null) {
      return oversized;
    }
    if (value.length > 0 && value[0] == BinaryEventFormat.MAGIC) {
      return EventChecks.invalid(
          RejectReason.MALFORMED_JSON,
          "a binary event (magic byte 0xB7) on a JSON topic: set the topic's encoding to binary"
              + " or auto");
    }
    EventScan scan = new EventScan(schema.features());
    if (plainReader && PlainJsonReader.read(value, scan)) {
      return checks.judge(scan, topicTask, recordTimestamp);
    }
    scan = new EventScan(schema.features()); // the plain reader may have filled part of it
    try (JsonParser p = JSON.createParser(value)) {
      scan.read(p);
    } catch (EventScan.Malformed e) {
      return EventChecks.invalid(RejectReason.MALFORMED_JSON, e.getMessage());
    } catch (IOException e) {
      // Nothing is read from a device here: every IOException is about the bytes themselves.
      return EventChecks.invalid(RejectReason.MALFORMED_JSON, "invalid JSON: " + jacksonMessage(e));
    }
    return checks.judge(scan, topicTask, recordTimestamp);
  }

  private static String jacksonMessage(IOException e) {
    if (e instanceof JsonProcessingException j) {
      JsonLocation at = j.getLocation();
      return j.getOriginalMessage() + (at == null ? "" : " (at byte " + at.getByteOffset() + ")");
    }
    return String.valueOf(e.getMessage());
  }
}
