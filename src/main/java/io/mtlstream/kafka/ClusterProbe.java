package io.mtlstream.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;

/** Waits until a cluster answers Admin requests. Stateless; safe from any thread. */
final class ClusterProbe {

  private static final long BACKOFF_MS = 100;

  private ClusterProbe() {}

  /**
   * Polls {@code describeCluster} until it lists a node.
   *
   * @throws IllegalStateException naming the last error if the deadline passes first
   */
  static void awaitReady(String bootstrapServers, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
      while (true) {
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remainingMs <= 0) {
          throw new IllegalStateException(
              "Kafka at " + bootstrapServers + " did not answer within " + timeout, last);
        }
        try {
          Collection<Node> nodes =
              admin.describeCluster().nodes().get(remainingMs, TimeUnit.MILLISECONDS);
          if (!nodes.isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          last = e;
        }
        Thread.sleep(Math.min(BACKOFF_MS, Math.max(1, remainingMs)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for Kafka", e);
    }
  }
}
