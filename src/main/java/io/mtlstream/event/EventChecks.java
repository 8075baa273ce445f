package io.mtlstream.event;

import java.util.Objects;

/**
 * The validation shared by every encoding: judges the raw fields of one record ({@link EventScan},
 * filled by the JSON or the binary reader) against an {@link EventSchema}, so that the same record
 * gets the same verdict and reason whatever its encoding. Stateless apart from the schema;
 * thread-safe.
 */
final class EventChecks {

  private static final int MAX_MESSAGE = 200;

  private final EventSchema schema;

  EventChecks(EventSchema schema) {
    this.schema = Objects.requireNonNull(schema, "schema");
  }

  /** The rejection of a value above the schema's size limit, or null when it fits. */
  Decoded.Invalid oversized(byte[] value) {
    return value.length > schema.maxRecordBytes()
        ? invalid(
            RejectReason.OVERSIZED,
            "record is " + value.length + " bytes, limit " + schema.maxRecordBytes())
        : null;
  }

  /** The event, or the first problem of the scanned record in {@link RejectReason} order. */
  Decoded judge(EventScan s, String topicTask, long recordTimestamp) {
    String named = s.model == null ? EventDecoder.DEFAULT_MODEL : s.model;
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
              : model.indexOf('\0') >= 0
                  // The learner's journal keys put a 0 byte after the model id: a model id holding
                  // one could read another model's journal on replay.
                  ? "model id contains a NUL character"
                  : "unknown model " + quote(model) + "; allowed: " + schema.models());
    }
    if (s.features == null) {
      return invalid(
          RejectReason.MISSING_FEATURES,
          s.binary
              ? "feature count is 0"
              : s.seenFeatures() ? "'features' is null" : "no 'features' field");
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
        return invalid(
            RejectReason.MISSING_LABEL, s.binary ? "label count is 0" : "no 'label' field");
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

  static Decoded.Invalid invalid(RejectReason reason, String message) {
    return new Decoded.Invalid(reason, oneLine(message));
  }

  /** Payload strings are quoted and clipped: messages become headers and log lines. */
  static String quote(String text) {
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
