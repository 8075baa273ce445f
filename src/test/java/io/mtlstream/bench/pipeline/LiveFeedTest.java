package io.mtlstream.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class LiveFeedTest {

  private static final List<ProducerRecord<byte[], byte[]>> POOL =
      List.of(
          new ProducerRecord<>("mtl.events.a", null, 1L, new byte[] {1}, new byte[] {10}),
          new ProducerRecord<>("mtl.events.b", null, 2L, new byte[] {1}, new byte[] {20}),
          new ProducerRecord<>("mtl.events.a", null, 3L, new byte[] {1}, new byte[] {30}));

  @Test
  void shouldStayAtMostMaxAheadOfTrainingAndSendTheCountInPoolOrder() throws Exception {
    MockProducer<byte[], byte[]> producer =
        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    AtomicLong trained = new AtomicLong();
    try (LiveFeed feed = new LiveFeed(producer, POOL, 10, 4, trained::get)) {
      awaitSent(feed, 4);
      // Nothing trained: the feed holds at 4 ahead.
      long deadline = System.nanoTime() + 200_000_000L;
      while (System.nanoTime() < deadline) {
        assertThat(feed.sent()).isEqualTo(4);
        Thread.onSpinWait();
      }
      trained.set(3);
      awaitSent(feed, 7);
      trained.set(10);
      awaitSent(feed, 10);
    }
    List<ProducerRecord<byte[], byte[]>> sent = producer.history();
    assertThat(sent).hasSize(10);
    for (int i = 0; i < sent.size(); i++) {
      ProducerRecord<byte[], byte[]> expected = POOL.get(i % POOL.size());
      assertThat(sent.get(i).topic()).isEqualTo(expected.topic());
      assertThat(sent.get(i).value()).isEqualTo(expected.value());
      // Re-stamped with the send time, not the pool's event time.
      assertThat(sent.get(i).timestamp()).isGreaterThan(1_000_000L);
    }
  }

  private static void awaitSent(LiveFeed feed, long n) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (feed.sent() < n) {
      assertThat(System.nanoTime())
          .as("sent %d of %d in time", feed.sent(), n)
          .isLessThan(deadline);
      Thread.onSpinWait();
    }
    assertThat(feed.sent()).isEqualTo(n);
  }
}
