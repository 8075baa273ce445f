package io.mtlstream.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClientTimesTest {

  @Test
  void shouldSumEachMeterOverClientsAndGiveItsGrowth() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    AtomicLong a = new AtomicLong(1_000);
    AtomicLong b = new AtomicLong(500);
    AtomicLong commits = new AtomicLong(3);
    String flush = "kafka.producer.flush.time.ns.total";
    FunctionCounter.builder(flush, a, AtomicLong::get).tag("client.id", "a").register(meters);
    FunctionCounter.builder(flush, b, AtomicLong::get).tag("client.id", "b").register(meters);
    FunctionCounter.builder("kafka.stream.thread.commit.total", commits, AtomicLong::get)
        .register(meters);

    ClientTimes before = ClientTimes.of(meters);
    a.addAndGet(250);
    b.addAndGet(50);
    commits.addAndGet(2);
    var growth = ClientTimes.of(meters).since(before);

    assertThat(before.values().get(flush)).isEqualTo(1_500.0);
    assertThat(growth.get(flush)).isEqualTo(300.0);
    assertThat(growth.get("kafka.stream.thread.commit.total")).isEqualTo(2.0);
    // Not registered (e.g. at-least-once has no transactions): reads 0, keeps its place.
    assertThat(growth.get("kafka.producer.txn.commit.time.ns.total")).isZero();
    assertThat(growth.keySet()).containsExactly(ClientTimes.NAMES);
  }
}
