package io.mtlstream.event;

import java.util.Locale;

/**
 * Why a record was not accepted as an event. The {@link #code()} is stable: it is the dead-letter
 * header value and the {@code reason} metric tag, so renaming one is a breaking change.
 *
 * <p>Declaration order is precedence: when a record has several problems the decoder reports the
 * first reason in this order, independent of the order of the JSON fields. Routing (task, model)
 * comes before features and labels because a label can only be judged against its task. {@link
 * #WRONG_PARTITION} is judged last, by the topology, on an otherwise valid event.
 */
public enum RejectReason {
  OVERSIZED("record value is larger than the configured limit"),
  MALFORMED_JSON("not a JSON object, or a field has the wrong JSON type"),
  MALFORMED_BINARY("not a binary event: bad magic, version, flags, lengths, UTF-8 or truncated"),
  UNKNOWN_TASK("task missing (on a mixed topic) or not one of the schema's tasks"),
  TASK_MISMATCH("the payload's task differs from the task of the topic it was read from"),
  UNKNOWN_MODEL("model id empty or not among the allowed model ids"),
  MISSING_FEATURES("no features field, or it is null"),
  WRONG_FEATURE_COUNT("the features array does not have the schema's feature count"),
  NON_FINITE_FEATURE("a feature is NaN, infinite, null, or overflows a float"),
  MISSING_LABEL("no label field, or it is null"),
  INVALID_LABEL("the label does not fit its task's kind, width or class range"),
  WRONG_PARTITION(
      "direct input only: the record is not on the partition Kafka's default partitioner gives"
          + " its model id, so another learner owns that model");

  private final String code;
  private final String description;

  RejectReason(String description) {
    this.code = name().toLowerCase(Locale.ROOT);
    this.description = description;
  }

  /** Lowercase, stable code, e.g. {@code wrong_feature_count}. */
  public String code() {
    return code;
  }

  /** One line for operators: what kind of input gets this reason. */
  public String description() {
    return description;
  }

  /** The reason with this code. */
  public static RejectReason fromCode(String code) {
    for (RejectReason r : values()) {
      if (r.code.equals(code)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown reject reason code '" + code + "'");
  }
}
