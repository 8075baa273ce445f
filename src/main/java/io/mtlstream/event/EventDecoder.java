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
 * reported.
 *
 * <p>Thread-safe and reusable: all per-record state lives on the stack of {@link #decode}.
 */
public final class EventDecoder {

  /** The model id of events that name none. */
  public static final String DEFAULT_MODEL = "default";

  private static final int MAX_MESSAGE = 200;

  // NaN/Infinity tokens are parsed so that they are reported as non-finite features rather than
  // as syntax errors; the fast parser is exact and noticeably quicker on feature arrays.
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .build();

  private final EventSchema schema;

  public EventDecoder(EventSchema schema) {
    this.schema = Objects.requireNonNull(schema, "schema");
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
      return invalid(RejectReason.MALFORMED_JSON, "record value is null");
    }
    if (value.length > schema.maxRecordBytes()) {
      return invalid(
          RejectReason.OVERSIZED,
          "record is " + value.length + " bytes, limit " + schema.maxRecordBytes());
    }
    EventScan scan = new EventScan(schema.features());
    try (JsonParser p = JSON.createParser(value)) {
      scan.read(p);
    } catch (EventScan.Malformed e) {
      return invalid(RejectReason.MALFORMED_JSON, e.getMessage());
    } catch (IOException e) {
      // Nothing is read from a device here: every IOException is about the bytes themselves.
      return invalid(RejectReason.MALFORMED_JSON, "invalid JSON: " + jacksonMessage(e));
    }
    return judge(scan, topicTask, recordTimestamp);
  }

  private Decoded judge(EventScan s, String topicTask, long recordTimestamp) {
    String named = s.model == null ? DEFAULT_MODEL : s.model;
    Decoded invalid = check(s, topicTask, named);
    if (invalid instanceof Decoded.Invalid i && schema.allowsModel(named) && !named.isEmpty()) {
      return new Decoded.Invalid(i.reason(), i.message(), named);
    }
    if (invalid != null) {
      return invalid;
    }
    String task = topicTask == null ? s.task : topicTask;
    long ts = s.hasTimestamp ? s.timestamp : recordTimestamp;
    return new Decoded.Valid(
        new LabeledEvent(s.id, named, task, s.features, LabelRules.values(s), ts));
  }

  /** The first problem of the record, or null when it is valid. */
  private Decoded check(EventScan s, String topicTask, String model) {
    String task = topicTask;
    if (topicTask == null) {
      if (s.task == null) {
        return invalid(RejectReason.UNKNOWN_TASK, "no 'task' field: required on a mixed topic");
      }
      task = s.task;
    } else if (s.task != null && !s.task.equals(topicTask)) {
      return invalid(
          RejectReason.TASK_MISMATCH,
          "payload task " + quote(s.task) + " differs from topic task " + quote(topicTask));
    }
    TaskSchema taskSchema = schema.task(task);
    if (taskSchema == null) {
      return invalid(
          RejectReason.UNKNOWN_TASK,
          "unknown task " + quote(task) + "; known: " + schema.tasks().keySet());
    }
    if (!schema.allowsModel(model)) {
      return invalid(
          RejectReason.UNKNOWN_MODEL,
          model.isEmpty()
              ? "model id is empty"
              : "unknown model " + quote(model) + "; allowed: " + schema.models());
    }
    if (s.features == null) {
      return invalid(
          RejectReason.MISSING_FEATURES,
          s.seenFeatures() ? "'features' is null" : "no 'features' field");
    }
    if (s.featureCount != schema.features()) {
      return invalid(
          RejectReason.WRONG_FEATURE_COUNT,
          "expected " + schema.features() + " features, got " + s.featureCount);
    }
    if (s.badFeature >= 0) {
      return invalid(
          RejectReason.NON_FINITE_FEATURE, "feature[" + s.badFeature + "] " + s.badFeatureProblem);
    }
    switch (s.labelShape) {
      case ABSENT:
        return invalid(RejectReason.MISSING_LABEL, "no 'label' field");
      case NULL:
        return invalid(RejectReason.MISSING_LABEL, "'label' is null");
      default:
        String problem = LabelRules.problem(s, taskSchema);
        if (problem != null) {
          return invalid(RejectReason.INVALID_LABEL, problem);
        }
    }
    return null;
  }

  private static Decoded.Invalid invalid(RejectReason reason, String message) {
    return new Decoded.Invalid(reason, oneLine(message));
  }

  private static String jacksonMessage(IOException e) {
    if (e instanceof JsonProcessingException j) {
      JsonLocation at = j.getLocation();
      return j.getOriginalMessage() + (at == null ? "" : " (at byte " + at.getByteOffset() + ")");
    }
    return String.valueOf(e.getMessage());
  }

  /** Payload strings are quoted and clipped: messages become headers and log lines. */
  private static String quote(String text) {
    return "'" + (text.length() <= 64 ? text : text.substring(0, 61) + "...") + "'";
  }

  /** Dead-letter headers and log lines want one bounded line; payload text may hold anything. */
  private static String oneLine(String message) {
    String clipped =
        message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 3) + "...";
    StringBuilder out = new StringBuilder(clipped.length());
    clipped.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
    return out.toString();
  }
}
