package io.mtlstream.stream;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.micrometer.core.instrument.Counter;
import io.mtlstream.event.BinaryEventDecoder;
import io.mtlstream.event.BinaryEventFormat;
import io.mtlstream.event.Decoded;
import io.mtlstream.event.EventDecoder;
import io.mtlstream.event.EventEncoding;
import io.mtlstream.event.RejectReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Decodes and validates input records. A valid event goes on keyed by its model id; a rejected
 * record goes to the dead-letter branch with its original key and value plus reason, message and
 * source headers, and a rejection notice goes to the rejection model's learner so the count is part
 * of its exactly-once state. Each topic's values are read in its configured {@link EventEncoding}
 * (JSON, binary, or auto by the first byte); both go through the same validation. With direct input
 * ({@link StreamSettings#directInput()}) an event must also sit on its model's partition. Never
 * throws on bad input. One instance per stream task.
 */
final class DecodeProcessor implements Processor<byte[], byte[], String, Routed> {

  private final StreamSettings settings;
  private final EventDecoder json;
  private final BinaryEventDecoder binary;
  private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
  private final ModelPartitions ownership;
  private Counter accepted;
  private ProcessorContext<String, Routed> context;

  DecodeProcessor(StreamSettings settings) {
    this.settings = settings;
    this.json = new EventDecoder(settings.schema());
    this.binary = new BinaryEventDecoder(settings.schema());
    this.ownership = new ModelPartitions(settings.directPartitions());
  }

  @Override
  public void init(ProcessorContext<String, Routed> context) {
    this.context = context;
    this.accepted =
        Counter.builder("mtl.events.accepted")
            .description("Input events that passed validation")
            .baseUnit("events")
            .register(settings.meters());
    for (RejectReason reason : RejectReason.values()) {
      rejected.put(
          reason,
          Counter.builder("mtl.events.rejected")
              .description("Input records sent to the dead-letter topic, by reason")
              .baseUnit("events")
              .tag("reason", reason.code())
              .register(settings.meters()));
    }
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    Optional<RecordMetadata> meta = context.recordMetadata();
    String topic = meta.map(RecordMetadata::topic).orElse(null);
    String task =
        topic == null || settings.topics().isMixed(topic) ? null : settings.topics().taskOf(topic);
    EventEncoding encoding =
        topic == null ? EventEncoding.AUTO : settings.topics().encodingOf(topic);
    Decoded decoded = decode(encoding, record.value(), task, record.timestamp());
    if (decoded instanceof Decoded.Valid valid
        && meta.isPresent()
        && !ownership.owns(valid.event().model(), meta.get().partition())) {
      int owner = ownership.partitionOf(valid.event().model());
      decoded =
          new Decoded.Invalid(
              RejectReason.WRONG_PARTITION,
              "model '"
                  + valid.event().model()
                  + "' belongs on partition "
                  + owner
                  + " (Kafka's default partitioner on the UTF-8 model id, "
                  + settings.directPartitions()
                  + " partitions), not "
                  + meta.get().partition()
                  + ": produce events keyed by their model id, or set"
                  + " mtl.input.partitioned.by.model=false",
              valid.event().model());
    }
    if (decoded instanceof Decoded.Valid valid) {
      accepted.increment();
      byte[] value = EventRecordCodec.encode(valid.event());
      context.forward(
          new Record<>(valid.event().model(), Routed.toLearner(value), record.timestamp()));
      return;
    }
    Decoded.Invalid invalid = (Decoded.Invalid) decoded;
    rejected.get(invalid.reason()).increment();
    Record<String, Routed> dead =
        new Record<>(
            settings.rejectionModel(),
            Routed.deadLetter(record.key(), record.value()),
            record.timestamp(),
            record.headers());
    Headers h = dead.headers();
    // A dead letter replayed after a fix and rejected again keeps one set of our headers.
    for (String name : DeadLetterHeaders.ALL) {
      h.remove(name);
    }
    h.add(DeadLetterHeaders.REASON, invalid.reason().code().getBytes(UTF_8));
    h.add(DeadLetterHeaders.MESSAGE, invalid.message().getBytes(UTF_8));
    meta.ifPresent(
        m -> {
          h.add(DeadLetterHeaders.SOURCE_TOPIC, m.topic().getBytes(UTF_8));
          h.add(
              DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(m.partition()).getBytes(UTF_8));
          h.add(DeadLetterHeaders.SOURCE_OFFSET, Long.toString(m.offset()).getBytes(UTF_8));
        });
    context.forward(dead);
    String model = invalid.model() != null ? invalid.model() : settings.rejectionModel();
    if (meta.isPresent() && !ownership.owns(model, meta.get().partition())) {
      // Direct input: that model's learner lives in another stream task, and a notice here would
      // start a second learner for it. The dead letter and the meter still count the record.
      return;
    }
    context.forward(
        new Record<>(
            model,
            Routed.toLearner(LearnerInput.rejection(invalid.reason().code())),
            record.timestamp()));
  }

  private Decoded decode(EventEncoding encoding, byte[] value, String task, long timestamp) {
    boolean asBinary =
        encoding == EventEncoding.BINARY
            || (encoding == EventEncoding.AUTO && BinaryEventFormat.isBinary(value));
    return asBinary ? binary.decode(value, task, timestamp) : json.decode(value, task, timestamp);
  }
}
