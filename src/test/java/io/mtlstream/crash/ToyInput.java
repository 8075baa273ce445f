package io.mtlstream.crash;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.mtlstream.event.EventEncoder;
import io.mtlstream.event.LabeledEvent;
import io.mtlstream.generate.EventPublisher;
import io.mtlstream.generate.ToyEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A fixed input sequence for one model: toy events from a seeded {@link ToyEventSource}, encoded
 * for the mixed topic (with their {@code task} field), optionally with malformed records at fixed
 * positions, which the learner must dead-letter and count exactly once. Immutable.
 *
 * @param model model id of every record (also the record key)
 * @param values record values in send order
 * @param validByTask task → valid events in {@link #values}
 * @param invalid malformed records in {@link #values}
 */
record ToyInput(String model, List<byte[]> values, Map<String, Long> validByTask, long invalid) {

  /** A record that decodes but fails validation: 2 features instead of 250. */
  static byte[] malformed(String model) {
    return ("{\"model\":\"" + model + "\",\"task\":\"task0\",\"features\":[1,2],\"label\":0}")
        .getBytes(UTF_8);
  }

  /**
   * {@code valid} toy events of {@code model} from seed {@code seed}, with a malformed record after
   * every {@code invalidEvery} valid ones (0: none).
   */
  static ToyInput of(String model, long seed, int valid, int invalidEvery) {
    List<byte[]> values = new ArrayList<>(valid + 16);
    Map<String, Long> byTask = new TreeMap<>();
    long invalid = 0;
    EventEncoder encoder = new EventEncoder();
    try (ToyEventSource source =
        ToyEventSource.builder()
            .setSigmas(CrashSettings.SIGMAS)
            .optTaskNames(CrashSettings.TASKS)
            .optModel(model)
            .optSeed(seed)
            .build()) {
      for (int i = 1; i <= valid; i++) {
        LabeledEvent e = source.next();
        values.add(encoder.encode(e, true));
        byTask.merge(e.task(), 1L, Long::sum);
        if (invalidEvery > 0 && i % invalidEvery == 0) {
          values.add(malformed(model));
          invalid++;
        }
      }
    }
    return new ToyInput(model, List.copyOf(values), Map.copyOf(byTask), invalid);
  }

  /** Sends every record to the mixed topic, keyed by model, and waits for all acknowledgements. */
  void sendAll(String bootstrap) {
    try (Producer<byte[], byte[]> producer = EventPublisher.newProducer(bootstrap, Map.of())) {
      send(producer, 0);
    }
  }

  /**
   * Sends every record, at most {@code perSecond} records a second (0: unlimited), then flushes.
   * The pacing shapes the load (a live feed); it synchronises nothing.
   */
  void send(Producer<byte[], byte[]> producer, double perSecond) {
    byte[] key = model.getBytes(UTF_8);
    long start = System.nanoTime();
    List<Future<RecordMetadata>> acks = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      if (perSecond > 0) {
        long due = start + (long) (i * 1e9 / perSecond);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
      }
      acks.add(producer.send(new ProducerRecord<>(CrashSettings.MIXED_TOPIC, key, values.get(i))));
    }
    producer.flush();
    for (Future<RecordMetadata> ack : acks) {
      try {
        ack.get(30, TimeUnit.SECONDS);
      } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("input record not acknowledged", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while sending input", e);
      }
    }
  }
}
