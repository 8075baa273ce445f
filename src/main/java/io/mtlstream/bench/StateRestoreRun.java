package io.mtlstream.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mtlstream.event.EventEncoder;
import io.mtlstream.event.LabeledEvent;
import io.mtlstream.event.TopicTasks;
import io.mtlstream.kafka.TopicSpec;
import io.mtlstream.metrics.TrainingReportCodec;
import io.mtlstream.stream.LearnerTopology;
import io.mtlstream.stream.QualitySettings;
import io.mtlstream.stream.Schemas;
import io.mtlstream.stream.StreamSettings;
import io.mtlstream.train.LearnerSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * The restore part of {@link StateBenchmark}: a learner (Kafka Streams, exactly-once) trains one
 * step on one event and checkpoints; it is closed, its state dir wiped, one more event sent, and a
 * second instance with the same application id started on an empty state dir. It restores the
 * checkpoint store from its changelog, rebuilds the learner on the event (decode included), trains
 * and commits a report. Not thread-safe; owns every client it creates and closes them.
 */
public final class StateRestoreRun {

  static final String APPLICATION_ID = "mtl-bench-state";
  private static final String CHECKPOINT_STORE = "mtl-learner-checkpoints";
  private static final int STATE_RECORD_BYTES = 64 << 20;

  /**
   * @param restoreMs the checkpoint store's restore, listener start to end
   * @param restoredRecords changelog records the checkpoint store restored
   * @param runningMs start of the second instance to its RUNNING state
   * @param firstReportMs start of the second instance to its first committed training report
   */
  public record Timing(
      double restoreMs, long restoredRecords, double runningMs, double firstReportMs) {}

  private StateRestoreRun() {}

  static Timing run(String bootstrap, LearnerSettings learner, Path work) {
    try (CommittedCount reports = new CommittedCount(bootstrap, TopicSpec.METRICS)) {
      send(bootstrap, 1, learner.model().inputs());
      KafkaStreams first = streams(bootstrap, settings(learner, 1), work.resolve("first"));
      try {
        first.start();
        reports.await(1);
      } finally {
        close(first);
      }
      StateBenchmark.deleteRecursively(work.resolve("first"));
      send(bootstrap, 2, learner.model().inputs());
      KafkaStreams second =
          streams(bootstrap, settings(learner, Integer.MAX_VALUE), work.resolve("second"));
      Restores restores = new Restores();
      second.setGlobalStateRestoreListener(restores);
      long[] running = {0};
      long t0 = System.nanoTime();
      second.setStateListener(
          (now, was) -> {
            if (now == KafkaStreams.State.RUNNING && running[0] == 0) {
              running[0] = System.nanoTime();
            }
          });
      try {
        second.start();
        reports.await(2);
        long t1 = System.nanoTime();
        long step = TrainingReportCodec.decode(reports.last).step();
        if (step != 2) {
          throw new IllegalStateException("the second instance did not resume: at step " + step);
        }
        return new Timing(
            restores.ms(), restores.records, (running[0] - t0) / 1e6, (t1 - t0) / 1e6);
      } finally {
        close(second);
      }
    }
  }

  private static StreamSettings settings(LearnerSettings learner, int checkpointEvery) {
    return new StreamSettings(
        Schemas.eventSchema(learner.model(), Set.of(), 1 << 20),
        TopicTasks.defaults(List.of("reg", "bin", "cls")),
        learner,
        1,
        1,
        0,
        0,
        checkpointEvery,
        TopicSpec.DEAD_LETTER,
        TopicSpec.METRICS,
        TopicSpec.SNAPSHOTS,
        Clock.systemUTC(),
        new SimpleMeterRegistry(),
        QualitySettings.defaults());
  }

  private static KafkaStreams streams(String bootstrap, StreamSettings settings, Path stateDir) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), STATE_RECORD_BYTES);
    p.put(
        StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG), 2L * STATE_RECORD_BYTES);
    p.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
        STATE_RECORD_BYTES);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), STATE_RECORD_BYTES);
    p.put(StreamsConfig.topicPrefix("max.message.bytes"), STATE_RECORD_BYTES);
    return new KafkaStreams(LearnerTopology.build(settings), p);
  }

  /** Leaves the group, so the next instance need not wait for this one's session to time out. */
  private static void close(KafkaStreams streams) {
    streams.close(
        CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(StateBenchmark.WAIT));
  }

  private static void send(String bootstrap, long n, int inputs) {
    SplittableRandom random = new SplittableRandom(n);
    float[] x = new float[inputs];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    LabeledEvent event =
        new LabeledEvent("e-" + n, StateBenchmark.MODEL_ID, "reg", x, new float[] {x[0]}, n);
    Map<String, Object> c = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  TopicTasks.DEFAULT_PREFIX + "reg",
                  null,
                  n,
                  null,
                  new EventEncoder().encode(event, false)))
          .get(StateBenchmark.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending an event", e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot send an event: " + e.getMessage(), e);
    }
  }

  /** Restore timing of the checkpoint store; callbacks come from a Streams thread. */
  private static final class Restores implements StateRestoreListener {
    private volatile long started;
    private volatile long ended;
    private volatile long records;

    @Override
    public void onRestoreStart(TopicPartition tp, String store, long start, long end) {
      if (store.equals(CHECKPOINT_STORE)) {
        started = System.nanoTime();
      }
    }

    @Override
    public void onBatchRestored(TopicPartition tp, String store, long batchEnd, long count) {}

    @Override
    public void onRestoreEnd(TopicPartition tp, String store, long total) {
      if (store.equals(CHECKPOINT_STORE)) {
        records = total;
        ended = System.nanoTime();
      }
    }

    double ms() {
      return started == 0 || ended == 0 ? Double.NaN : (ended - started) / 1e6;
    }
  }

  /** Counts committed records of a topic's partition 0 from its start. */
  private static final class CommittedCount implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private long count;
    private byte[] last;

    CommittedCount(String bootstrap, String topic) {
      consumer =
          new KafkaConsumer<>(
              Map.of(
                  ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  bootstrap,
                  ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                  "read_committed"),
              new ByteArrayDeserializer(),
              new ByteArrayDeserializer());
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
    }

    void await(long n) {
      long deadline = System.nanoTime() + StateBenchmark.WAIT.toNanos();
      while (count < n) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException(
              "no committed report " + n + " within " + StateBenchmark.WAIT);
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
          count++;
          last = r.value();
        }
      }
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
