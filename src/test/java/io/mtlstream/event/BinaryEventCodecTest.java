package io.mtlstream.event;

import static io.mtlstream.event.Payloads.RECORD_TS;
import static io.mtlstream.event.Payloads.SCHEMA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The binary encoding's layout and its round trip, judged against the JSON decoder. */
class BinaryEventCodecTest {

  private static final BinaryEventDecoder BINARY = new BinaryEventDecoder(SCHEMA);
  private static final BinaryEventEncoder ENCODER = new BinaryEventEncoder();

  @Test
  void shouldDecodeBinaryToTheEventJsonDecodesFromTheSameData() {
    SplittableRandom random = new SplittableRandom(3);
    for (LabeledEvent e : sampleEvents(random)) {
      for (boolean includeTask : List.of(true, false)) {
        String topicTask = e.task();
        Decoded fromJson =
            Payloads.DECODER.decode(new EventEncoder().encode(e, includeTask), topicTask, 7L);
        Decoded fromBinary = BINARY.decode(ENCODER.encode(e, includeTask), topicTask, 7L);

        assertThat(fromBinary).isEqualTo(fromJson).isEqualTo(new Decoded.Valid(withTs(e, 7L)));
      }
      // The mixed topic needs the task in the payload, as in JSON.
      assertThat(BINARY.decode(ENCODER.encode(e, true), null, 7L))
          .isEqualTo(new Decoded.Valid(withTs(e, 7L)));
    }
  }

  @Test
  void shouldKeepExactFloatBitsIncludingNegativeZeroAndSubnormals() {
    float[] x = {-0.0f, Float.MIN_VALUE, Float.MAX_VALUE};
    LabeledEvent e = new LabeledEvent("e", "m", "temp", x, new float[] {1e-30f}, 5);

    LabeledEvent back =
        ((Decoded.Valid) BINARY.decode(ENCODER.encode(e, false), "temp", 0)).event();

    assertThat(back).isEqualTo(e);
    assertThat(Float.floatToRawIntBits(back.feature(0))).isEqualTo(Integer.MIN_VALUE);
  }

  @Test
  void shouldWriteTheDocumentedLittleEndianLayout() {
    LabeledEvent e =
        new LabeledEvent("e1", "m", "click", new float[] {1, -2, 0.5f}, new float[] {1}, 258);

    // docs/EVENT_FORMAT.md's example, byte for byte.
    assertThat(HexFormat.of().formatHex(ENCODER.encode(e, true)))
        .isEqualTo(
            "b7010f"
                + "01006d" // model "m"
                + "0500636c69636b" // task "click"
                + "02006531" // id "e1"
                + "0201000000000000" // ts 258
                + "03000000"
                + "0000803f"
                + "000000c0"
                + "0000003f" // 3 features
                + "01000000"
                + "0000803f"); // 1 label
  }

  @Test
  void shouldMirrorJsonDefaultsForAbsentModelTimestampAndId() {
    byte[] minimal = BinaryBytes.header(0).floats(1, 2, 3).floats(1).build();

    LabeledEvent e = ((Decoded.Valid) BINARY.decode(minimal, "click", RECORD_TS)).event();

    assertThat(e.model()).isEqualTo(EventDecoder.DEFAULT_MODEL);
    assertThat(e.id()).isNull();
    assertThat(e.timestamp()).isEqualTo(RECORD_TS);
    assertThat(e.task()).isEqualTo("click");
  }

  @Test
  void shouldTellBinaryFromJsonByTheFirstByte() {
    LabeledEvent e = sampleEvents(new SplittableRandom(1)).get(0);

    assertThat(BinaryEventFormat.isBinary(ENCODER.encode(e, true))).isTrue();
    assertThat(BinaryEventFormat.isBinary(new EventEncoder().encode(e, true))).isFalse();
    assertThat(BinaryEventFormat.isBinary(Payloads.utf8(" {}"))).isFalse();
    assertThat(BinaryEventFormat.isBinary(new byte[0])).isFalse();
    assertThat(BinaryEventFormat.isBinary(null)).isFalse();
  }

  @Test
  void shouldPointAtTheEncodingWhenBinaryArrivesOnAJsonTopic() {
    Decoded.Invalid i =
        (Decoded.Invalid)
            Payloads.DECODER.decode(
                ENCODER.encode(sampleEvents(new SplittableRandom(1)).get(0), true), null, 0);

    assertThat(i.reason()).isEqualTo(RejectReason.MALFORMED_JSON);
    assertThat(i.message()).contains("binary event").contains("encoding");
  }

  @Test
  void shouldRefuseStringsTooLongForTheirLengthField() {
    String id = "x".repeat(65536);
    LabeledEvent e = new LabeledEvent(id, "m", "temp", new float[] {1, 2, 3}, new float[] {1}, 0);

    assertThatThrownBy(() -> ENCODER.encode(e, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("65535");
  }

  @Test
  void shouldParseEncodingNames() {
    assertThat(EventEncoding.parse(" Binary ")).isEqualTo(EventEncoding.BINARY);
    assertThat(EventEncoding.AUTO.code()).isEqualTo("auto");
    assertThatThrownBy(() -> EventEncoding.parse("avro"))
        .hasMessageContaining("expected json, binary or auto");
  }

  /** One event per task shape, with and without id, with unicode, and with an unknown time. */
  private static List<LabeledEvent> sampleEvents(SplittableRandom r) {
    return List.of(
        new LabeledEvent("e-1", "default", "temp", gaussian(r), new float[] {-1.25f}, 1000),
        new LabeledEvent(null, "shop-ü", "price", gaussian(r), new float[] {3.5f, 1e-7f}, 0),
        new LabeledEvent("ß-3", "m", "click", gaussian(r), new float[] {1}, 1_732_400_000_000L),
        new LabeledEvent("e-4", "m", "cls", gaussian(r), new float[] {4}, -1));
  }

  private static float[] gaussian(SplittableRandom r) {
    return new float[] {(float) r.nextGaussian(), (float) r.nextGaussian(), 1e30f};
  }

  /** The decoded event: an unknown (negative) timestamp becomes the record's. */
  private static LabeledEvent withTs(LabeledEvent e, long recordTs) {
    return e.timestamp() >= 0
        ? e
        : new LabeledEvent(e.id(), e.model(), e.task(), e.features(), e.label(), recordTs);
  }
}
