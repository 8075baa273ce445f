package io.mtlstream.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes events in the wire format that {@link EventDecoder} reads, for producers, the synthetic
 * generator and tests. Floats are written so that they decode to the identical bits: integral
 * values up to 2^24 as integers (so binary labels are 0/1 and class indices are integers), all
 * others via {@link Float#toString}. A one-value label is a number, a wider one an array. A
 * negative timestamp (unknown) is omitted, so the reader falls back to the record timestamp.
 *
 * <p>Thread-safe and reusable: it holds no per-call state.
 */
public final class EventEncoder {

  private static final JsonFactory JSON = JsonFactory.builder().build();

  /** Floats in [-2^24, 2^24] with no fraction are exact as ints. */
  private static final float EXACT_INT_LIMIT = 1 << 24;

  /**
   * Encodes one event.
   *
   * @param e the event
   * @param includeTask whether to write the {@code task} field: required on a mixed topic,
   *     redundant on the task's own topic
   */
  public byte[] encode(LabeledEvent e, boolean includeTask) {
    // About 12 bytes per float plus the envelope: usually one buffer, no regrowth.
    int estimate = 96 + 12 * (e.featureCount() + e.labelWidth());
    try (ByteArrayBuilder out = new ByteArrayBuilder(estimate);
        JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      if (e.id() != null) {
        g.writeStringField("id", e.id());
      }
      g.writeStringField("model", e.model());
      if (includeTask) {
        g.writeStringField("task", e.task());
      }
      g.writeFieldName("features");
      g.writeStartArray();
      for (int i = 0; i < e.featureCount(); i++) {
        writeFloat(g, e.feature(i));
      }
      g.writeEndArray();
      g.writeFieldName("label");
      if (e.labelWidth() == 1) {
        writeFloat(g, e.label(0));
      } else {
        g.writeStartArray();
        for (int i = 0; i < e.labelWidth(); i++) {
          writeFloat(g, e.label(i));
        }
        g.writeEndArray();
      }
      if (e.timestamp() >= 0) { // negative: unknown (Kafka's NO_TIMESTAMP); the record's applies
        g.writeNumberField("ts", e.timestamp());
      }
      g.writeEndObject();
      g.flush();
      return out.toByteArray();
    } catch (IOException ex) {
      throw new UncheckedIOException("writing to memory cannot fail", ex);
    }
  }

  private static void writeFloat(JsonGenerator g, float v) throws IOException {
    // -0.0 stays a float: as an int it would decode to +0.0, different bits.
    if (v == Math.rint(v)
        && Math.abs(v) <= EXACT_INT_LIMIT
        && Float.floatToRawIntBits(v) != Integer.MIN_VALUE) {
      g.writeNumber((int) v);
    } else {
      g.writeNumber(v);
    }
  }
}
