package io.mtlstream.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the missing topics of a set of {@link TopicSpec}s, waits until they are usable, and
 * checks that every topic (new or existing) has the critical configs the pipeline depends on (see
 * {@link TopicChecks}).
 *
 * <p>Ownership: uses but never closes the given {@link Admin}. Threading: no mutable state; safe
 * from any thread as the Admin is.
 */
public final class TopicProvisioner {

  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
  private static final long BACKOFF_MS = 50;

  private final Admin admin;
  private final Duration timeout;

  /**
   * @param timeout the bound for one {@link #provision} call, creation and waiting included
   */
  public TopicProvisioner(Admin admin, Duration timeout) {
    this.admin = admin;
    this.timeout = timeout;
  }

  /**
   * Creates the missing topics, waits until every spec'd topic has a leader for each partition, and
   * validates them all.
   *
   * @return the names of the topics this call created
   * @throws IllegalStateException naming topic, config, expected and actual value when an existing
   *     topic is unfit, or when the cluster does not answer in time
   */
  public Set<String> provision(Collection<TopicSpec> specs) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, TopicSpec> byName = new LinkedHashMap<>();
    specs.forEach(s -> byName.put(s.name(), s));
    try {
      Set<String> existing = admin.listTopics().names().get(remainingMs(deadline), MILLIS);
      Set<String> created = create(byName, existing, deadline);
      Map<String, TopicDescription> described = awaitLeaders(byName.keySet(), deadline);
      Map<ConfigResource, Config> configs =
          admin
              .describeConfigs(resources(byName.keySet()))
              .all()
              .get(remainingMs(deadline), MILLIS);
      List<String> problems = new ArrayList<>();
      for (TopicSpec spec : byName.values()) {
        int partitions = described.get(spec.name()).partitions().size();
        Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
        problems.addAll(TopicChecks.problems(spec, partitions, values(config)));
      }
      if (!problems.isEmpty()) {
        throw new IllegalStateException(
            "Kafka topics do not fit mtlstream:\n  " + String.join("\n  ", problems));
      }
      if (!created.isEmpty()) {
        PartitionReadiness.awaitServed(
            admin, created, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      }
      LOG.info("Topics ready: {} (created {})", byName.keySet(), created);
      return created;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Provisioning topics " + byName.keySet() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while provisioning topics", e);
    }
  }

  private Set<String> create(Map<String, TopicSpec> specs, Set<String> existing, long deadline)
      throws ExecutionException, TimeoutException, InterruptedException {
    List<NewTopic> missing = new ArrayList<>();
    for (TopicSpec s : specs.values()) {
      if (!existing.contains(s.name())) {
        // Broker-default replication: 1 on the embedded broker, the cluster's choice elsewhere.
        missing.add(
            new NewTopic(s.name(), Optional.of(s.partitions()), Optional.empty())
                .configs(s.configs()));
      }
    }
    Set<String> created = new LinkedHashSet<>();
    if (missing.isEmpty()) {
      return created;
    }
    for (Map.Entry<String, ? extends Future<Void>> e :
        admin.createTopics(missing).values().entrySet()) {
      try {
        e.getValue().get(remainingMs(deadline), MILLIS);
        created.add(e.getKey());
      } catch (ExecutionException ex) {
        // Another instance created it between our list and create: validate it like any other.
        if (!(ex.getCause() instanceof TopicExistsException)) {
          throw ex;
        }
        LOG.debug("Topic {} was created concurrently", e.getKey());
      }
    }
    return created;
  }

  /** Creation can return before the metadata has spread; poll until each partition has a leader. */
  private Map<String, TopicDescription> awaitLeaders(Set<String> names, long deadline)
      throws ExecutionException, TimeoutException, InterruptedException {
    while (true) {
      try {
        Map<String, TopicDescription> d =
            admin.describeTopics(names).allTopicNames().get(remainingMs(deadline), MILLIS);
        if (d.values().stream()
            .flatMap(t -> t.partitions().stream())
            .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
          return d;
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
      }
      Thread.sleep(Math.min(BACKOFF_MS, remainingMs(deadline)));
    }
  }

  private static Map<String, String> values(Config config) {
    Map<String, String> values = new LinkedHashMap<>();
    config.entries().forEach(e -> values.put(e.name(), e.value()));
    return values;
  }

  private static List<ConfigResource> resources(Set<String> names) {
    return names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
  }

  private long remainingMs(long deadline) throws TimeoutException {
    long ms = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (ms <= 0) {
      throw new TimeoutException("Topics not ready within " + timeout);
    }
    return ms;
  }

  private static final TimeUnit MILLIS = TimeUnit.MILLISECONDS;
}
