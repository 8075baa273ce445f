package io.mtlstream.train;

import java.util.Locale;

/** Hidden-layer non-linearity of the trunk and towers. */
public enum Activation {
  RELU,
  TANH,
  SIGMOID,
  /** No non-linearity (an affine layer). */
  IDENTITY;

  /** Parses {@code relu|tanh|sigmoid|identity}, case-insensitive. */
  public static Activation parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown activation '" + text + "': expected relu, tanh, sigmoid or identity", e);
    }
  }
}
