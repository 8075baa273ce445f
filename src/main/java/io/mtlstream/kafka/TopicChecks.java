package io.mtlstream.kafka;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether an existing topic fits its {@link TopicSpec}. Pure logic, stateless.
 *
 * <p>Only configs whose wrong value breaks the pipeline are checked, and only if the spec sets
 * them:
 *
 * <ul>
 *   <li>{@code cleanup.policy} must match: a compacted event topic drops events, a snapshot topic
 *       that is not compacted loses old models' latest snapshot to retention.
 *   <li>{@code max.message.bytes} must be at least the spec's: smaller rejects large snapshots.
 * </ul>
 *
 * Other configs (retention, segment sizes) are the operator's to tune. Fewer partitions than the
 * spec only logs a warning: events are re-keyed and repartitioned, so any count is correct and only
 * parallelism suffers. Direct input, which skips the repartition, needs equal counts on the input
 * topics; {@link DirectInputChecks} checks that.
 */
final class TopicChecks {

  private static final Logger LOG = LoggerFactory.getLogger(TopicChecks.class);

  private TopicChecks() {}

  /**
   * @param actual the topic's effective configs (defaults included), as {@code describeConfigs}
   *     returns them
   * @return one actionable sentence per problem; empty if the topic fits
   */
  static List<String> problems(TopicSpec spec, int partitions, Map<String, String> actual) {
    if (partitions < spec.partitions()) {
      LOG.warn(
          "Topic {} has {} partitions, fewer than the {} it would be created with;"
              + " it works, with less parallelism",
          spec.name(),
          partitions,
          spec.partitions());
    }
    List<String> problems = new ArrayList<>();
    String policy = spec.configs().get(TopicSpec.CLEANUP_POLICY);
    if (policy != null) {
      String is = actual.get(TopicSpec.CLEANUP_POLICY);
      if (!policies(policy).equals(policies(is))) {
        problems.add(
            problem(spec.name(), TopicSpec.CLEANUP_POLICY, "'" + policy + "'", is, policy));
      }
    }
    String maxBytes = spec.configs().get(TopicSpec.MAX_MESSAGE_BYTES);
    if (maxBytes != null) {
      String is = actual.get(TopicSpec.MAX_MESSAGE_BYTES);
      if (parse(is) < Long.parseLong(maxBytes)) {
        problems.add(
            problem(
                spec.name(), TopicSpec.MAX_MESSAGE_BYTES, "at least " + maxBytes, is, maxBytes));
      }
    }
    return problems;
  }

  private static String problem(
      String topic, String key, String expected, String actual, String fix) {
    return String.format(
        "topic %s: %s is %s, expected %s. Fix: kafka-configs.sh --bootstrap-server <servers>"
            + " --alter --entity-type topics --entity-name %s --add-config %s=%s"
            + " (or delete the topic so that it is re-created)",
        topic, key, actual == null ? "unset" : "'" + actual + "'", expected, topic, key, fix);
  }

  /** "compact,delete" and "delete, compact" are the same policy. */
  private static Set<String> policies(String value) {
    if (value == null) {
      return Set.of();
    }
    return Arrays.stream(value.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static long parse(String value) {
    try {
      return value == null ? -1 : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
