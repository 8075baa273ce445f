package io.mtlstream.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mtlstream.event.BinaryEventDecoder;
import io.mtlstream.event.BinaryEventFormat;
import io.mtlstream.event.Decoded;
import io.mtlstream.event.EventDecoder;
import io.mtlstream.event.EventEncoding;
import io.mtlstream.event.EventSchema;
import io.mtlstream.event.LabeledEvent;
import io.mtlstream.event.TaskSchema;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The publisher's routing, record shape and error handling, without a broker or DJL. */
class EventPublisherTest {

  private static final EventSchema SCHEMA =
      EventSchema.of(2, TaskSchema.regression("a", 1), TaskSchema.regression("b", 1));

  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

  @Test
  void shouldSendEachEventToItsTaskTopicKeyedByModelWithEventTime() {
    List<LabeledEvent> events = events(4);
    try (EventPublisher publisher = publisher(events, "x.")) {
      assertThat(publisher.run(10)).isEqualTo(4); // the source ends after 4
      assertThat(publisher.sent()).isEqualTo(4);
    }

    List<ProducerRecord<byte[], byte[]>> records = producer.history();
    assertThat(records)
        .extracting(ProducerRecord::topic)
        .containsExactly("x.a", "x.b", "x.a", "x.b");
    EventDecoder decoder = new EventDecoder(SCHEMA);
    for (int i = 0; i < records.size(); i++) {
      ProducerRecord<byte[], byte[]> r = records.get(i);
      assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("m");
      assertThat(r.timestamp()).isEqualTo(1000L + i);
      String task = r.topic().substring(2);
      assertThat(decoder.decode(r.value(), task, -1)).isEqualTo(new Decoded.Valid(events.get(i)));
    }
  }

  @Test
  void shouldSendBinaryEncodedEventsWhenAsked() {
    List<LabeledEvent> events = events(4);
    try (EventPublisher publisher =
        EventPublisher.builder()
            .setProducer(producer)
            .setSource(events.iterator())
            .optEncoding(EventEncoding.BINARY)
            .build()) {
      assertThat(publisher.run(4)).isEqualTo(4);
    }

    BinaryEventDecoder decoder = new BinaryEventDecoder(SCHEMA);
    List<ProducerRecord<byte[], byte[]>> records = producer.history();
    for (int i = 0; i < records.size(); i++) {
      ProducerRecord<byte[], byte[]> r = records.get(i);
      assertThat(BinaryEventFormat.isBinary(r.value())).isTrue();
      // The task is in the payload, so the records also decode from a mixed topic.
      assertThat(decoder.decode(r.value(), null, -1)).isEqualTo(new Decoded.Valid(events.get(i)));
    }
    assertThatThrownBy(
            () ->
                EventPublisher.builder()
                    .setProducer(producer)
                    .setSource(events.iterator())
                    .optEncoding(EventEncoding.AUTO)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("json or binary");
  }

  @Test
  void shouldStopAtTheCountAndAfterStop() {
    try (EventPublisher publisher = publisher(events(100), "x.")) {
      assertThat(publisher.run(30)).isEqualTo(30);
      publisher.stop();
      assertThat(publisher.run(30)).isZero();
    }
    assertThat(producer.history()).hasSize(30);
  }

  @Test
  void shouldReportAFailedSendAfterFlushing() {
    MockProducer<byte[], byte[]> failing =
        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()) {
          @Override
          public synchronized Future<RecordMetadata> send(
              ProducerRecord<byte[], byte[]> record, Callback callback) {
            TimeoutException error = new TimeoutException("broker gone");
            callback.onCompletion(null, error);
            return CompletableFuture.failedFuture(error);
          }
        };
    try (EventPublisher publisher =
        EventPublisher.builder().setProducer(failing).setSource(events(10).iterator()).build()) {
      assertThatThrownBy(() -> publisher.run(10))
          .isInstanceOf(KafkaException.class)
          .hasMessageContaining("broker gone")
          .hasCauseInstanceOf(TimeoutException.class);
      assertThat(publisher.sent()).as("stops at the first failure").isEqualTo(1);
    }
  }

  @Test
  void shouldConfigureTheProducerForThroughputAndSafety() {
    assertThat(EventPublisher.producerConfig("127.0.0.1:1"))
        .containsEntry("linger.ms", 5)
        .containsEntry("batch.size", 262_144)
        .containsEntry("compression.type", "lz4")
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", true);
    assertThatThrownBy(() -> EventPublisher.builder().setProducer(producer).build())
        .isInstanceOf(IllegalStateException.class);
  }

  private EventPublisher publisher(List<LabeledEvent> events, String prefix) {
    return EventPublisher.builder()
        .setProducer(producer)
        .setSource(events.iterator())
        .optTopicPrefix(prefix)
        .build();
  }

  private static List<LabeledEvent> events(int n) {
    return LongStream.range(0, n)
        .mapToObj(
            i ->
                new LabeledEvent(
                    "e" + i,
                    "m",
                    i % 2 == 0 ? "a" : "b",
                    new float[] {i, 0.5f},
                    new float[] {-i / 3f},
                    1000 + i))
        .toList();
  }
}
