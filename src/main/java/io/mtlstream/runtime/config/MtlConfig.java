package io.mtlstream.runtime.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Layered configuration: built-in defaults, then a properties file, then environment variables,
 * then explicit overrides (command-line flags) — later layers win. {@code MTL_*} variables map to
 * {@code mtl.*} keys ({@code MTL_TRAIN_BATCH_SIZE} → {@code mtl.train.batch.size}); {@code
 * MTL_KAFKA_*} variables map to Kafka settings ({@code MTL_KAFKA_BOOTSTRAP_SERVERS} → {@code
 * bootstrap.servers}). Immutable after {@link #load}; thread-safe.
 */
public final class MtlConfig {

  private final Map<String, String> values;

  private MtlConfig(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  public static MtlConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
    Map<String, String> v = new TreeMap<>();
    for (ConfigKey k : MtlKeys.ALL) {
      v.put(k.key(), k.defaultValue());
    }
    if (file != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read config file " + file + ": " + e, e);
      }
      p.stringPropertyNames().forEach(k -> v.put(k, p.getProperty(k).trim()));
    }
    env.forEach(
        (name, value) -> {
          if (name.startsWith("MTL_KAFKA_")) {
            v.put(name.substring(10).toLowerCase(Locale.ROOT).replace('_', '.'), value);
          } else if (name.startsWith("MTL_")) {
            v.put(fromEnv(name), value);
          }
        });
    v.putAll(overrides);
    return new MtlConfig(v);
  }

  /** Maps an {@code MTL_*} variable to its key; known keys first, then task keys by pattern. */
  private static String fromEnv(String name) {
    for (ConfigKey k : MtlKeys.ALL) {
      if (k.envName().equals(name)) {
        return k.key();
      }
    }
    return name.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  public String get(ConfigKey key) {
    return values.getOrDefault(key.key(), key.defaultValue());
  }

  public String get(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  public int getInt(ConfigKey key) {
    return parse(key.key(), get(key), Integer::parseInt);
  }

  public long getLong(ConfigKey key) {
    return parse(key.key(), get(key), Long::parseLong);
  }

  public double getDouble(ConfigKey key) {
    return parse(key.key(), get(key), Double::parseDouble);
  }

  /** {@code true} or {@code false} (any case); anything else is refused, never read as false. */
  public boolean getBoolean(ConfigKey key) {
    String text = get(key).trim();
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text);
    }
    throw new IllegalArgumentException(
        "setting " + key.key() + "='" + get(key) + "' is not true or false");
  }

  /** Every non-{@code mtl.} setting: Kafka client and Streams configuration. */
  public Map<String, Object> kafka() {
    Map<String, Object> out = new TreeMap<>();
    values.forEach(
        (k, val) -> {
          if (!k.startsWith("mtl.") && val != null && !val.isEmpty()) {
            out.put(k, val);
          }
        });
    return out;
  }

  public MtlConfig with(String key, String value) {
    Map<String, String> v = new TreeMap<>(values);
    v.put(key, value);
    return new MtlConfig(v);
  }

  private interface Parser<T> {
    T parse(String text);
  }

  private static <T> T parse(String key, String text, Parser<T> parser) {
    try {
      return parser.parse(text.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("setting " + key + "='" + text + "' is not a number", e);
    }
  }
}
