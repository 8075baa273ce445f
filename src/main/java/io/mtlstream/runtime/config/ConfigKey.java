package io.mtlstream.runtime.config;

/**
 * One documented setting: its key ({@code mtl.*}), default (null = required or unset) and what it
 * does. The environment variable is the key upper-cased with '.' → '_' ({@code
 * MTL_TRAIN_BATCH_SIZE}).
 */
public record ConfigKey(String key, String defaultValue, String doc) {

  public String envName() {
    return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
