package io.mtlstream.generate;

import io.mtlstream.event.BinaryEventEncoder;
import io.mtlstream.event.EventEncoder;
import io.mtlstream.event.EventEncoding;
import io.mtlstream.event.LabeledEvent;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Turns events into the records the learner reads: topic {@code <prefix><task>}, key the model id
 * (UTF-8), value in JSON ({@link EventEncoder}) or binary ({@link BinaryEventEncoder}) with the
 * task field included, timestamp the event time. Not thread-safe (caches topic names and keys).
 */
public final class EventRecords {

  private final String topicPrefix;
  private final EventEncoding encoding;
  private final EventEncoder json = new EventEncoder();
  private final BinaryEventEncoder binary = new BinaryEventEncoder();
  private final Map<String, String> topicByTask = new HashMap<>();
  private final Map<String, byte[]> keyByModel = new HashMap<>();

  /**
   * @param encoding {@link EventEncoding#JSON} or {@link EventEncoding#BINARY}
   */
  public EventRecords(String topicPrefix, EventEncoding encoding) {
    this.topicPrefix = Objects.requireNonNull(topicPrefix, "topic prefix");
    if (encoding == EventEncoding.AUTO) {
      throw new IllegalArgumentException(
          "encoding must be json or binary: auto only applies to reading");
    }
    this.encoding = Objects.requireNonNull(encoding, "encoding");
  }

  /** The record of {@code e}, stamped with the event's own time. */
  public ProducerRecord<byte[], byte[]> of(LabeledEvent e) {
    String topic = topicByTask.computeIfAbsent(e.task(), t -> topicPrefix + t);
    // Shared between records: neither the producer nor its serializer modify keys.
    byte[] key = keyByModel.computeIfAbsent(e.model(), m -> m.getBytes(StandardCharsets.UTF_8));
    // The task field is redundant on a task topic but keeps each record self-describing (e.g.
    // when topics are mirrored into a mixed one); the decoder checks it against the topic.
    byte[] value = encoding == EventEncoding.BINARY ? binary.encode(e, true) : json.encode(e, true);
    return new ProducerRecord<>(topic, null, e.timestamp(), key, value);
  }
}
