package io.mtlstream.stream;

/**
 * Header names on dead-letter records. Values are UTF-8 strings; the original key and value bytes
 * are kept unchanged so nothing is lost and the record can be replayed after a fix.
 */
public final class DeadLetterHeaders {

  /** Reject reason code, e.g. {@code wrong_feature_count} (also the counter's tag). */
  public static final String REASON = "mtl.dlq.reason";

  /** A one-line explanation, e.g. {@code expected 64 features, got 63}. */
  public static final String MESSAGE = "mtl.dlq.message";

  public static final String SOURCE_TOPIC = "mtl.dlq.source.topic";
  public static final String SOURCE_PARTITION = "mtl.dlq.source.partition";
  public static final String SOURCE_OFFSET = "mtl.dlq.source.offset";

  /** Every header this class names. */
  public static final java.util.List<String> ALL =
      java.util.List.of(REASON, MESSAGE, SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET);

  private DeadLetterHeaders() {}
}
