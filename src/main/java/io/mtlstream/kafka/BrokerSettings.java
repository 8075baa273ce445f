package io.mtlstream.kafka;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The broker properties of {@link EmbeddedKafkaBroker}: a single-node KRaft broker and controller
 * that listens on 127.0.0.1 only. Stateless; safe from any thread.
 */
final class BrokerSettings {

  /** Largest record batch the broker accepts: a snapshot of a 100 MB model is one record. */
  static final int MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

  static final String HOST = "127.0.0.1";

  private BrokerSettings() {}

  /**
   * Properties for node 1 with the given listener ports and data dir; {@code extra} overrides the
   * defaults.
   */
  static Properties newProperties(
      int brokerPort, int controllerPort, Path dataDir, Map<String, String> extra) {
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", "1");
    // Static voters: a one-node quorum needs no dynamic membership, and format stays simple.
    p.setProperty("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
    p.setProperty(
        "listeners",
        "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
    p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("log.dirs", dataDir.toAbsolutePath().toString());

    // One replica everywhere. Without these the internal topics ask for 3 replicas and
    // exactly-once producers time out in initTransactions() (DESIGN §3).
    p.setProperty("default.replication.factor", "1");
    p.setProperty("min.insync.replicas", "1");
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");
    // 50 partitions per internal topic buy nothing on one node and slow the first group join.
    p.setProperty("offsets.topic.num.partitions", "1");
    p.setProperty("transaction.state.log.num.partitions", "1");
    p.setProperty("share.coordinator.state.topic.num.partitions", "1");

    p.setProperty("group.initial.rebalance.delay.ms", "0");
    p.setProperty("num.partitions", "1");
    // Off on purpose: a misspelt topic name must fail loudly instead of creating an empty topic.
    // Kafka Streams creates its internal topics through the Admin API, so it does not need this.
    p.setProperty("auto.create.topics.enable", "false");

    // Snapshots and learner state records are large; KafkaConfig requires the replica fetch
    // size to be at least the message size.
    p.setProperty("message.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
    p.setProperty("replica.fetch.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
    // A produce request carrying such a record exceeds the 100 MiB request default.
    p.setProperty("socket.request.max.bytes", Integer.toString(2 * MAX_MESSAGE_BYTES));
    // The cleaner allocates its dedupe buffer up front (128 MiB by default); a local broker
    // compacts few keys, and 16 MiB still indexes ~700k keys per pass.
    p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));

    p.putAll(extra);
    return p;
  }
}
