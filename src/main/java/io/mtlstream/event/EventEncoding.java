package io.mtlstream.event;

import java.util.Locale;

/**
 * How the record values of an input topic are encoded: JSON ({@link EventDecoder}), the compact
 * binary format ({@link BinaryEventDecoder}, docs/EVENT_FORMAT.md), or either, told apart by the
 * binary magic byte, which never starts a JSON text.
 */
public enum EventEncoding {
  /** One JSON object per record value (the default). */
  JSON,
  /** The binary layout of docs/EVENT_FORMAT.md. */
  BINARY,
  /** Binary when the value starts with {@link BinaryEventFormat#MAGIC}, JSON otherwise. */
  AUTO;

  /** Parses {@code json|binary|auto}, case-insensitive. */
  public static EventEncoding parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown event encoding '" + text + "': expected json, binary or auto", e);
    }
  }

  /** The lowercase name used in configuration and messages. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
