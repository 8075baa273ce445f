package io.mtlstream.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

/** A small schema and helpers shared by the decoder tests. */
final class Payloads {

  static final EventSchema SCHEMA =
      EventSchema.of(
          3,
          TaskSchema.regression("temp", 1),
          TaskSchema.regression("price", 2),
          TaskSchema.binary("click"),
          TaskSchema.multiclass("cls", 5));

  static final EventDecoder DECODER = new EventDecoder(SCHEMA);

  static final long RECORD_TS = 1_732_400_000_123L;

  private Payloads() {}

  static byte[] utf8(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /** Decodes on the given task's topic; the record timestamp is {@link #RECORD_TS}. */
  static Decoded decode(String json, String topicTask) {
    return DECODER.decode(utf8(json), topicTask, RECORD_TS);
  }

  static LabeledEvent valid(String json, String topicTask) {
    Decoded d = decode(json, topicTask);
    assertThat(d).isInstanceOf(Decoded.Valid.class);
    return ((Decoded.Valid) d).event();
  }

  static Decoded.Invalid invalid(String json, String topicTask) {
    Decoded d = decode(json, topicTask);
    assertThat(d).isInstanceOf(Decoded.Invalid.class);
    return (Decoded.Invalid) d;
  }
}
