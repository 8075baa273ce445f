package io.mtlstream.event;

import java.util.Locale;

/**
 * The kind of label a task's events carry, which fixes how the wire {@code label} field is read.
 * Mirrors the learner's task types without depending on the training package.
 */
public enum LabelKind {
  /** One number, or an array of numbers when the task has several outputs. */
  REGRESSION,
  /** 0 or 1, as a number or as {@code false}/{@code true}. */
  BINARY,
  /** A class index 0..C-1, as an integer-valued number. */
  MULTICLASS;

  /** Parses {@code regression|binary|multiclass}, case-insensitive. */
  public static LabelKind parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown label kind '" + text + "': expected regression, binary or multiclass", e);
    }
  }

  /** The lowercase name used in configuration and messages. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
