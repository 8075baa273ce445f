package io.mtlstream.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.junit.jupiter.api.Test;

class ClientTimesTest {

  private static final String FLUSH = "kafka.producer.flush.time.ns.total";

  @Test
  void shouldSumEachMetricOverClientsAndGiveItsGrowth() {
    try (Metrics metrics = new Metrics()) {
      Sensor flushA = sum(metrics, "flush-time-ns-total", "producer-metrics", "client-id", "a");
      Sensor flushB = sum(metrics, "flush-time-ns-total", "producer-metrics", "client-id", "b");
      Sensor commits = sum(metrics, "commit-total", "stream-thread-metrics", "thread-id", "t");
      // The same metric name in another group is another meter.
      Sensor topicFlush =
          sum(metrics, "flush-time-ns-total", "producer-topic-metrics", "topic", "x");
      flushA.record(1_000);
      flushB.record(500);
      commits.record(3);

      ClientTimes before = ClientTimes.of(metrics.metrics());
      flushA.record(250);
      flushB.record(50);
      commits.record(2);
      topicFlush.record(7_000);
      var growth = ClientTimes.of(metrics.metrics()).since(before);

      assertThat(before.values().get(FLUSH)).isEqualTo(1_500.0);
      assertThat(growth.get(FLUSH)).isEqualTo(300.0);
      assertThat(growth.get("kafka.stream.thread.commit.total")).isEqualTo(2.0);
      // No client has it (e.g. at-least-once has no transactions): reads 0, keeps its place.
      assertThat(growth.get("kafka.producer.txn.commit.time.ns.total")).isZero();
      assertThat(growth.keySet()).containsExactly(ClientTimes.NAMES);
    }
  }

  @Test
  void shouldNameMetricsAsMicrometersKafkaBinderDoes() {
    assertThat(
            ClientTimes.meterName(
                new MetricName("txn-send-offsets-time-ns-total", "producer-metrics", "", Map.of())))
        .isEqualTo("kafka.producer.txn.send.offsets.time.ns.total");
    assertThat(
            ClientTimes.meterName(
                new MetricName("poll-total", "stream-thread-metrics", "", Map.of())))
        .isEqualTo("kafka.stream.thread.poll.total");
  }

  private static Sensor sum(Metrics metrics, String name, String group, String tag, String value) {
    Sensor sensor = metrics.sensor(group + "/" + name + "/" + value);
    sensor.add(metrics.metricName(name, group, "", Map.of(tag, value)), new CumulativeSum());
    return sensor;
  }
}
