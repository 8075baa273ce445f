package io.mtlstream.event;

import static io.mtlstream.event.BinaryEventFormat.FLAG_ID;
import static io.mtlstream.event.BinaryEventFormat.FLAG_MODEL;
import static io.mtlstream.event.BinaryEventFormat.FLAG_TASK;
import static io.mtlstream.event.BinaryEventFormat.FLAG_TIMESTAMP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every reject reason from binary input, as data with the JSON decoder's reasons; never thrown. */
class BinaryEventDecoderRejectTest {

  private static final BinaryEventDecoder DECODER = new BinaryEventDecoder(Payloads.SCHEMA);
  private static final float NAN = Float.NaN;

  /** A valid event of {@code task} in the given fields, built byte by byte. */
  private static BinaryBytes labelled(int flags, String model, String task) {
    BinaryBytes b = BinaryBytes.header(flags);
    if ((flags & FLAG_MODEL) != 0) {
      b.str(model);
    }
    if ((flags & FLAG_TASK) != 0) {
      b.str(task);
    }
    return b;
  }

  @Test
  void shouldRejectBytesThatAreNotAVersionOneBinaryEvent() {
    byte[] valid = BinaryBytes.header(0).floats(1, 2, 3).floats(1).build();
    assertRejected(null, "click", RejectReason.MALFORMED_BINARY, "record value is null");
    assertRejected(new byte[0], "click", RejectReason.MALFORMED_BINARY, "truncated at byte 0");
    assertRejected(
        Payloads.utf8("{\"features\":[1,2,3],\"label\":1}"),
        "click",
        RejectReason.MALFORMED_BINARY,
        "got 0x7B ('{'): JSON on a binary topic?");
    byte[] v2 = valid.clone();
    v2[1] = 2;
    assertRejected(v2, "click", RejectReason.MALFORMED_BINARY, "version 2 is not supported");
    byte[] flags = valid.clone();
    flags[2] = 0x30;
    assertRejected(flags, "click", RejectReason.MALFORMED_BINARY, "unknown flag bits 0x30");
    assertRejected(
        Arrays.copyOf(valid, valid.length - 1),
        "click",
        RejectReason.MALFORMED_BINARY,
        "truncated at byte");
    assertRejected(
        BinaryBytes.header(0).floats(1, 2, 3).floats(1).u8(0).build(),
        "click",
        RejectReason.MALFORMED_BINARY,
        "1 unexpected bytes after the labels");
  }

  @Test
  void shouldRejectBadLengthsAndFieldValues() {
    assertRejected(
        BinaryBytes.header(0).u32(0xFFFF_FFFFL).floats(1).build(),
        "click",
        RejectReason.MALFORMED_BINARY,
        "feature count 4294967295 needs");
    assertRejected(
        BinaryBytes.header(0).floats(1, 2, 3).u32(2).raw(new byte[4]).build(),
        "click",
        RejectReason.MALFORMED_BINARY,
        "label count 2 needs 8 bytes, 4 remain");
    assertRejected(
        BinaryBytes.header(FLAG_MODEL).u16(10).raw((byte) 'm').build(),
        "click",
        RejectReason.MALFORMED_BINARY,
        "the model needs 10 bytes, 1 remain");
    assertRejected(
        BinaryBytes.header(FLAG_MODEL).u16(2).raw((byte) 0xC3, (byte) 0x28).floats(1).build(),
        "click",
        RejectReason.MALFORMED_BINARY,
        "model is not valid UTF-8");
    assertRejected(
        BinaryBytes.header(FLAG_TIMESTAMP).i64(-5).floats(1, 2, 3).floats(1).build(),
        "click",
        RejectReason.MALFORMED_BINARY,
        "timestamp must be epoch milliseconds >= 0, got -5");
    assertRejected(
        BinaryBytes.header(FLAG_ID).u8(1).build(),
        "click",
        RejectReason.MALFORMED_BINARY,
        "the id length needs 2 bytes, 1 remain");
  }

  @Test
  void shouldRejectRoutingProblemsLikeJson() {
    int mt = FLAG_MODEL | FLAG_TASK;
    assertRejected(
        labelled(FLAG_MODEL, "m", null).floats(1, 2, 3).floats(1).build(),
        null,
        RejectReason.UNKNOWN_TASK,
        "required on a mixed topic");
    assertRejected(
        labelled(mt, "m", "nope").floats(1, 2, 3).floats(1).build(),
        null,
        RejectReason.UNKNOWN_TASK,
        "unknown task 'nope'");
    assertRejected(
        labelled(mt, "m", "temp").floats(1, 2, 3).floats(1).build(),
        "click",
        RejectReason.TASK_MISMATCH,
        "payload task 'temp' differs from topic task 'click'");
    assertRejected(
        labelled(FLAG_MODEL, "", null).floats(1, 2, 3).floats(1).build(),
        "click",
        RejectReason.UNKNOWN_MODEL,
        "model id is empty");
    assertRejected(
        labelled(FLAG_MODEL, "eu\0x", null).floats(1, 2, 3).floats(1).build(),
        "click",
        RejectReason.UNKNOWN_MODEL,
        "model id contains a NUL character");
    BinaryEventDecoder restricted =
        new BinaryEventDecoder(
            EventSchema.builder()
                .setFeatures(3)
                .addTask(TaskSchema.binary("click"))
                .optModels(Set.of("shop"))
                .build());
    Decoded.Invalid other =
        (Decoded.Invalid)
            restricted.decode(
                labelled(FLAG_MODEL, "other", null).floats(1, 2, 3).floats(1).build(), "click", 0);
    assertThat(other.reason()).isEqualTo(RejectReason.UNKNOWN_MODEL);
    assertThat(other.message()).isEqualTo("unknown model 'other'; allowed: [shop]");
    // The rejection of an allowed model's record is counted for that model.
    Decoded.Invalid shop =
        (Decoded.Invalid)
            restricted.decode(
                labelled(FLAG_MODEL, "shop", null).floats(1, 2).floats(1).build(), "click", 0);
    assertThat(shop.model()).isEqualTo("shop");
  }

  @Test
  void shouldRejectFeatureProblemsLikeJson() {
    assertRejected(
        BinaryBytes.header(0).floats().floats(1).build(),
        "click",
        RejectReason.MISSING_FEATURES,
        "feature count is 0");
    assertRejected(
        BinaryBytes.header(0).floats(1, 2).floats(1).build(),
        "click",
        RejectReason.WRONG_FEATURE_COUNT,
        "expected 3 features, got 2");
    assertRejected(
        BinaryBytes.header(0).floats(1, NAN, 3).floats(1).build(),
        "click",
        RejectReason.NON_FINITE_FEATURE,
        "feature[1] is NaN");
    assertRejected(
        BinaryBytes.header(0).floats(1, 2, Float.NEGATIVE_INFINITY).floats(1).build(),
        "click",
        RejectReason.NON_FINITE_FEATURE,
        "feature[2] is -Infinity");
    // Precedence as in JSON: the task is judged before the features.
    assertRejected(
        labelled(FLAG_TASK, null, "nope").floats(1).floats(1).build(),
        null,
        RejectReason.UNKNOWN_TASK,
        "unknown task 'nope'");
  }

  @Test
  void shouldRejectLabelProblemsLikeJson() {
    assertRejected(
        BinaryBytes.header(0).floats(1, 2, 3).floats().build(),
        "click",
        RejectReason.MISSING_LABEL,
        "label count is 0");
    assertLabel("click", new float[] {2}, "binary task 'click' expects 0, 1, true or false, got 2");
    assertLabel("click", new float[] {1, 0}, "got an array");
    assertLabel("cls", new float[] {2.5f}, "class label must be an integer");
    assertLabel("cls", new float[] {5}, "class 5 out of range [0, 5)");
    assertLabel("cls", new float[] {-1}, "class -1 out of range");
    assertLabel("temp", new float[] {NAN}, "label is NaN");
    assertLabel("price", new float[] {1}, "expects 2 label values, got a number");
    assertLabel("price", new float[] {1, 2, 3}, "expects 2 label values, got 3");
    assertLabel("price", new float[] {1, Float.POSITIVE_INFINITY}, "label[1] is Infinity");
  }

  @Test
  void shouldReachEveryRejectReasonFromBinaryInput() {
    Set<RejectReason> seen = EnumSet.noneOf(RejectReason.class);
    EventSchema tiny =
        EventSchema.builder()
            .setFeatures(3)
            .addTask(TaskSchema.binary("click"))
            .optMaxRecordBytes(16)
            .build();
    seen.add(
        reason(
            new BinaryEventDecoder(tiny),
            BinaryBytes.header(0).floats(1, 2, 3).floats(1).build(),
            "click"));
    for (byte[] bad :
        List.of(
            new byte[] {1},
            labelled(FLAG_TASK, null, "temp").floats(1, 2, 3).floats(1).build(),
            labelled(FLAG_MODEL, "", null).floats(1, 2, 3).floats(1).build(),
            BinaryBytes.header(0).floats().floats(1).build(),
            BinaryBytes.header(0).floats(1).floats(1).build(),
            BinaryBytes.header(0).floats(1, NAN, 3).floats(1).build(),
            BinaryBytes.header(0).floats(1, 2, 3).floats().build(),
            BinaryBytes.header(0).floats(1, 2, 3).floats(7).build())) {
      seen.add(reason(DECODER, bad, "click"));
    }
    seen.add(reason(DECODER, labelled(FLAG_TASK, null, "x").floats(1).floats(1).build(), null));
    // malformed_json is the JSON counterpart of malformed_binary; the rest must all be reachable.
    // Every reason but JSON's own, and wrong_partition, which the topology judges after decoding.
    assertThat(seen)
        .isEqualTo(
            EnumSet.complementOf(
                EnumSet.of(RejectReason.MALFORMED_JSON, RejectReason.WRONG_PARTITION)));
  }

  @Test
  void shouldNeverThrowOnRandomMutationsOfValidRecords() {
    SplittableRandom random = new SplittableRandom(42);
    BinaryEventEncoder encoder = new BinaryEventEncoder();
    List<byte[]> seeds =
        List.of(
            encoder.encode(
                new LabeledEvent("id", "m", "price", new float[] {1, 2, 3}, new float[] {1, 2}, 9),
                true),
            encoder.encode(
                new LabeledEvent(null, "m", "cls", new float[] {1, 2, 3}, new float[] {3}, -1),
                false));
    int valid = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] v = mutate(seeds.get(i % seeds.size()), random);
      String task = random.nextBoolean() ? null : "price";
      Decoded[] d = new Decoded[1];
      assertThatCode(() -> d[0] = DECODER.decode(v, task, 0)).doesNotThrowAnyException();
      assertThat(d[0]).isNotNull();
      if (d[0] instanceof Decoded.Valid) {
        valid++;
      } else {
        assertThat(((Decoded.Invalid) d[0]).message()).isNotBlank().doesNotContain("\n");
      }
    }
    assertThat(valid).as("some mutations keep a valid event").isPositive();
  }

  private static byte[] mutate(byte[] seed, SplittableRandom r) {
    byte[] v = seed.clone();
    switch (r.nextInt(4)) {
      case 0 -> { // flip bytes
        for (int k = 0, n = 1 + r.nextInt(4); k < n; k++) {
          v[r.nextInt(v.length)] = (byte) r.nextInt(256);
        }
      }
      case 1 -> v = Arrays.copyOf(v, r.nextInt(v.length + 1)); // truncate
      case 2 -> { // extend with junk
        v = Arrays.copyOf(v, v.length + 1 + r.nextInt(8));
        v[v.length - 1] = (byte) r.nextInt(256);
      }
      default -> { // pure noise, sometimes with a valid header
        v = new byte[r.nextInt(64)];
        r.nextBytes(v);
        if (v.length >= 2 && r.nextBoolean()) {
          v[0] = BinaryEventFormat.MAGIC;
          v[1] = 1;
        }
      }
    }
    return v;
  }

  private static void assertLabel(String task, float[] label, String message) {
    assertRejected(
        BinaryBytes.header(0).floats(1, 2, 3).floats(label).build(),
        task,
        RejectReason.INVALID_LABEL,
        message);
  }

  private static void assertRejected(
      byte[] value, String topicTask, RejectReason reason, String messagePart) {
    Decoded d = DECODER.decode(value, topicTask, 0);
    assertThat(d).isInstanceOf(Decoded.Invalid.class);
    Decoded.Invalid i = (Decoded.Invalid) d;
    assertThat(i.reason()).as(i.message()).isEqualTo(reason);
    assertThat(i.message()).contains(messagePart);
  }

  private static RejectReason reason(BinaryEventDecoder decoder, byte[] value, String task) {
    return ((Decoded.Invalid) decoder.decode(value, task, 0)).reason();
  }
}
