package io.mtlstream.bench.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * The Kafka clients' cumulative time and count metrics of a learner at one instant, named as
 * Micrometer's binding names them ({@code kafka.producer.*}, {@code kafka.stream.thread.*}); two of
 * them tell where the stream thread waited in between: producer flushes and transaction calls at
 * commits, blocked sends, and how many commits, polls and produce requests there were. Summed over
 * clients. Immutable.
 *
 * <p>Read from the clients' live metrics, not from the registry: Micrometer's binder reads each
 * meter through the metric objects it found at its last refresh (once a minute), so a client that
 * Kafka Streams recreated in between (a fenced producer, say) would read frozen there. The producer
 * counts records and requests when a batch is drained (at linger or at a commit's flush), so a
 * window shorter than the commit interval may see them at 0.
 *
 * @param values meter name → cumulative value (nanoseconds for {@code *.time.ns.total}, a count
 *     otherwise)
 */
public record ClientTimes(Map<String, Double> values) {

  /** Cumulative meters worth a line: the producer's blocking calls, and the commit count. */
  static final String[] NAMES = {
    "kafka.producer.flush.time.ns.total",
    "kafka.producer.txn.commit.time.ns.total",
    "kafka.producer.txn.send.offsets.time.ns.total",
    "kafka.producer.txn.begin.time.ns.total",
    "kafka.producer.bufferpool.wait.time.ns.total",
    "kafka.producer.metadata.wait.time.ns.total",
    "kafka.stream.thread.commit.total",
    "kafka.stream.thread.poll.total",
    "kafka.producer.request.total",
    "kafka.producer.record.send.total",
  };

  public ClientTimes {
    values = Map.copyOf(values);
  }

  /**
   * Sums the metrics of {@link #NAMES} over the clients in {@code metrics} (as {@code
   * KafkaStreams.metrics()} gives them); a name no client has reads 0 (at-least-once has no
   * transactions).
   */
  public static ClientTimes of(Map<MetricName, ? extends Metric> metrics) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String name : NAMES) {
      out.put(name, 0.0);
    }
    metrics.forEach(
        (name, metric) -> {
          String meter = meterName(name);
          if (out.containsKey(meter) && metric.metricValue() instanceof Number value) {
            out.merge(meter, value.doubleValue(), Double::sum);
          }
        });
    return new ClientTimes(out);
  }

  /** Micrometer's name for a Kafka metric: {@code kafka.<group>.<name>}, "-metrics" dropped. */
  static String meterName(MetricName name) {
    return ("kafka." + name.group() + "." + name.name()).replace("-metrics", "").replace('-', '.');
  }

  /** Per meter, the growth since {@code earlier}, in order of {@link #NAMES}. */
  public Map<String, Double> since(ClientTimes earlier) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String name : NAMES) {
      out.put(name, values.getOrDefault(name, 0.0) - earlier.values.getOrDefault(name, 0.0));
    }
    return out;
  }
}
