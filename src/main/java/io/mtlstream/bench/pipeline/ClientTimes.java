package io.mtlstream.bench.pipeline;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Kafka clients' cumulative time and count meters of a learner at one instant (Micrometer's
 * binding of the client metrics, {@code kafka.producer.*} and {@code kafka.stream.thread.*}); two
 * of them tell where the stream thread waited in between: producer flushes and transaction calls at
 * commits, blocked sends, and how many commits, polls and produce requests there were. Summed over
 * clients. Immutable.
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

  public static ClientTimes of(MeterRegistry meters) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String name : NAMES) {
      double sum = 0;
      for (Meter m : meters.find(name).meters()) {
        if (m instanceof FunctionCounter c) {
          sum += c.count();
        }
      }
      out.put(name, sum);
    }
    return new ClientTimes(out);
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
