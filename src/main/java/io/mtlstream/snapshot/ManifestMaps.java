package io.mtlstream.snapshot;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/** Validated, ordered, unmodifiable copies of the manifest's maps. Stateless and thread-safe. */
final class ManifestMaps {

  /** Kafka topic names are at most 249 of these characters; the partition follows the last '-'. */
  private static final Pattern TOPIC_PARTITION = Pattern.compile("[A-Za-z0-9._-]{1,249}-\\d{1,10}");

  private ManifestMaps() {}

  /** The values in task order; exactly one non-null value per task. */
  static <V> Map<String, V> byTask(Map<String, V> values, List<String> tasks, String what) {
    Objects.requireNonNull(values, what);
    require(
        values.keySet().equals(Set.copyOf(tasks)),
        what + " must have exactly the tasks " + tasks + ", got " + values.keySet());
    var ordered = new LinkedHashMap<String, V>();
    for (String t : tasks) {
      ordered.put(t, Objects.requireNonNull(values.get(t), what + " of '" + t + "'"));
    }
    return Collections.unmodifiableMap(ordered);
  }

  /** The offsets sorted by topic, then partition number (so "t-10" follows "t-2"). */
  static Map<String, Long> sortedOffsets(Map<String, Long> offsets) {
    Objects.requireNonNull(offsets, "inputOffsets");
    offsets.forEach(ManifestMaps::checkOffset);
    var ordered = new LinkedHashMap<String, Long>();
    offsets.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(TOPIC_THEN_PARTITION))
        .forEach(e -> ordered.put(e.getKey(), e.getValue()));
    return Collections.unmodifiableMap(ordered);
  }

  private static void checkOffset(String key, Long offset) {
    require(
        key != null && TOPIC_PARTITION.matcher(key).matches(),
        "inputOffsets key '" + key + "' is not 'topic-partition'");
    require(offset != null && offset >= 0, "inputOffsets of '" + key + "' is " + offset);
  }

  private static final Comparator<String> TOPIC_THEN_PARTITION =
      Comparator.comparing((String k) -> k.substring(0, k.lastIndexOf('-')))
          .thenComparingLong(k -> Long.parseLong(k.substring(k.lastIndexOf('-') + 1)));

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("snapshot manifest: " + message);
    }
  }
}
