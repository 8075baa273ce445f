package io.mtlstream.snapshot;

import java.util.Locale;
import java.util.Objects;

/**
 * A byte array is not a valid snapshot this build can read. Consumers catch it, count it by {@link
 * #reason()} and keep serving the model they have (docs/DESIGN.md decision 7). Immutable.
 */
public final class SnapshotFormatException extends RuntimeException {

  /** Why a snapshot was rejected; a bounded set, usable as the {@code reason} tag of a counter. */
  public enum Reason {
    /** The first bytes are not the snapshot magic: not a snapshot at all. */
    BAD_MAGIC,
    /** Written in a format version this build does not read. */
    UNSUPPORTED_VERSION,
    /** Shorter than its header says it is. */
    TRUNCATED,
    /** The SHA-256 trailer does not match the bytes: corrupted in storage or transit. */
    CHECKSUM_MISMATCH,
    /** Checksum intact but the structure or the manifest is invalid: a writer bug. */
    MALFORMED,
    /** The parameter count does not fit the model spec. */
    PARAMETER_COUNT_MISMATCH;

    /** Lower-case form for metric tags and messages, e.g. {@code checksum_mismatch}. */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Reason reason;

  public SnapshotFormatException(Reason reason, String message) {
    this(reason, message, null);
  }

  public SnapshotFormatException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
