package io.mtlstream.event;

import java.util.Objects;

/**
 * The outcome of decoding one record: an event, or a reason it was rejected. Bad input is data
 * here, not an exception, so that it can be routed to the dead-letter topic and counted. Immutable,
 * thread-safe.
 */
public sealed interface Decoded {

  /** A record that decoded and validated into an event. */
  record Valid(LabeledEvent event) implements Decoded {
    public Valid {
      Objects.requireNonNull(event, "event");
    }
  }

  /**
   * A rejected record.
   *
   * @param reason the reject reason (its code is the dead-letter header and metric tag)
   * @param message a specific, single-line explanation for people, e.g. {@code expected 64
   *     features, got 63}
   * @param model the record's model id when it could be read and is allowed by the schema (so the
   *     rejection can be counted for that model), else null
   */
  record Invalid(RejectReason reason, String message, String model) implements Decoded {
    public Invalid {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }

    /** A rejection not attributable to a model. */
    public Invalid(RejectReason reason, String message) {
      this(reason, message, null);
    }
  }
}
