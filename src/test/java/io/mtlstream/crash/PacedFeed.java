package io.mtlstream.crash;

import io.mtlstream.generate.EventPublisher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;

/**
 * Feeds inputs to the mixed topic at a steady rate from background threads, like a live stream, so
 * that the learner is in its steady state (consume, journal, train, commit) when a fault hits it.
 * Each input keeps its order (one partition per model), so the feed is as deterministic as sending
 * everything up front. Owns its threads and producers; {@link #close()} stops them.
 */
final class PacedFeed implements AutoCloseable {

  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<Future<?>> sending = new ArrayList<>();

  /**
   * Starts sending each input over about {@code seconds}, one producer and thread per input.
   *
   * @param producerOverrides e.g. longer timeouts for a broker that goes away for a while
   */
  static PacedFeed start(
      String bootstrap,
      List<ToyInput> inputs,
      double seconds,
      Map<String, Object> producerOverrides) {
    PacedFeed feed = new PacedFeed();
    for (ToyInput input : inputs) {
      double rate = input.values().size() / seconds;
      feed.sending.add(
          feed.threads.submit(
              () -> {
                try (Producer<byte[], byte[]> producer =
                    EventPublisher.newProducer(bootstrap, producerOverrides)) {
                  input.send(producer, rate);
                }
              }));
    }
    return feed;
  }

  /** Waits until every record was sent and acknowledged; rethrows a sender's failure. */
  void awaitSent(long timeoutSeconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    for (Future<?> f : sending) {
      f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
