package io.mtlstream.generate;

import io.mtlstream.kafka.PartitionReadiness;
import io.mtlstream.kafka.TopicProvisioner;
import io.mtlstream.kafka.TopicSpec;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * Gets the event topics ready for an idempotent producer: creates the missing ones and waits until
 * every partition is served by its leader (see {@link PartitionReadiness}). Stateless; uses but
 * never closes the given {@link Admin}.
 */
public final class EventTopics {

  private static final long BACKOFF_MS = 50;

  private EventTopics() {}

  /**
   * {@code <prefix><task>} per task, like {@link TopicSpec#events}: deleted by time, never
   * compacted.
   */
  public static List<TopicSpec> specs(String prefix, Collection<String> tasks, int partitions) {
    return tasks.stream()
        .map(t -> new TopicSpec(prefix + t, partitions, Map.of("cleanup.policy", "delete")))
        .toList();
  }

  /** Creates the missing topics (checking existing ones), then {@link #awaitServed}. */
  public static void provision(Admin admin, List<TopicSpec> specs, Duration timeout) {
    new TopicProvisioner(admin, timeout).provision(specs);
  }

  /** Waits until every partition of {@code topics} is served: see {@link PartitionReadiness}. */
  public static void awaitServed(Admin admin, Collection<String> topics, Duration timeout) {
    PartitionReadiness.awaitServed(admin, topics, timeout);
  }
}
