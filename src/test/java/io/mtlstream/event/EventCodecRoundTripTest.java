package io.mtlstream.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventCodecRoundTripTest {

  private static final EventSchema SCHEMA =
      EventSchema.of(
          8,
          TaskSchema.regression("price", 3),
          TaskSchema.regression("temp", 1),
          TaskSchema.binary("click"),
          TaskSchema.multiclass("genre", 10));

  private final EventEncoder encoder = new EventEncoder();
  private final EventDecoder decoder = new EventDecoder(SCHEMA);

  @Test
  void shouldRoundTripRandomEventsBitForBit() {
    Random random = new Random(42);
    List<TaskSchema> tasks = List.copyOf(SCHEMA.tasks().values());
    for (int i = 0; i < 5_000; i++) {
      LabeledEvent e = randomEvent(random, tasks.get(random.nextInt(tasks.size())));

      Decoded viaMixedTopic = decoder.decode(encoder.encode(e, true), null, -1);
      Decoded viaTaskTopic = decoder.decode(encoder.encode(e, false), e.task(), -1);

      assertThat(viaMixedTopic).isEqualTo(new Decoded.Valid(e));
      assertThat(viaTaskTopic).isEqualTo(new Decoded.Valid(e));
    }
  }

  @Test
  void shouldRoundTripEdgeFloats() {
    float[] edges = {
      -0.0f, 0.0f, Float.MIN_VALUE, -Float.MAX_VALUE, 0x1.0p24f, 0x1.000002p24f, 1e-45f, 0.1f
    };
    var e = new LabeledEvent(null, "m", "temp", edges, new float[] {-0.0f}, 0);

    Decoded back = decoder.decode(encoder.encode(e, false), "temp", 99);

    assertThat(back).isEqualTo(new Decoded.Valid(e));
    assertThat(Float.floatToRawIntBits(((Decoded.Valid) back).event().feature(0)))
        .isEqualTo(Integer.MIN_VALUE);
  }

  @Test
  void shouldWriteTheDocumentedWireFormat() {
    var e =
        new LabeledEvent(
            "e-1",
            "default",
            "click",
            new float[] {0.1f, -2.5f, 3},
            new float[] {1},
            1732400000000L);

    String json = new String(encoder.encode(e, true), StandardCharsets.UTF_8);

    assertThat(json)
        .isEqualTo(
            "{\"id\":\"e-1\",\"model\":\"default\",\"task\":\"click\","
                + "\"features\":[0.1,-2.5,3],\"label\":1,\"ts\":1732400000000}");
  }

  @Test
  void shouldWriteVectorLabelsAsArraysAndOmitUnknownParts() {
    var e = new LabeledEvent(null, "eu", "price", new float[] {1, 2}, new float[] {0.5f, 7}, -1);

    String json = new String(encoder.encode(e, false), StandardCharsets.UTF_8);

    assertThat(json).isEqualTo("{\"model\":\"eu\",\"features\":[1,2],\"label\":[0.5,7]}");
  }

  @Test
  void shouldEscapeStringsSoTheyDecodeUnchanged() {
    String id = "quote\" backslash\\ newline\n unicode \u00e9\u4e2d \uD83D\uDE00";
    var e = new LabeledEvent(id, "m/1", "click", new float[8], new float[] {0}, 5);

    assertThat(decoder.decode(encoder.encode(e, true), null, 0)).isEqualTo(new Decoded.Valid(e));
  }

  private static LabeledEvent randomEvent(Random random, TaskSchema task) {
    float[] features = new float[SCHEMA.features()];
    for (int j = 0; j < features.length; j++) {
      features[j] = randomFloat(random);
    }
    float[] label =
        switch (task.kind()) {
          case REGRESSION -> {
            float[] values = new float[task.labelWidth()];
            for (int j = 0; j < values.length; j++) {
              values[j] = randomFloat(random);
            }
            yield values;
          }
          case BINARY -> new float[] {random.nextInt(2)};
          case MULTICLASS -> new float[] {random.nextInt(task.classes())};
        };
    String id = random.nextBoolean() ? null : "e-" + random.nextLong();
    String model = random.nextBoolean() ? "default" : "tenant-" + random.nextInt(5);
    long ts = random.nextLong() & Long.MAX_VALUE;
    return new LabeledEvent(id, model, task.name(), features, label, ts);
  }

  /** Any finite float (all exponents, subnormals, signed zeros), an integer, or a typical one. */
  private static float randomFloat(Random random) {
    if (random.nextInt(4) == 0) { // integers either side of 2^24, where the encoder switches form
      return (float) (random.nextInt(1 << 26) - (1 << 25));
    }
    if (random.nextBoolean()) {
      return (float) random.nextGaussian() * (random.nextBoolean() ? 1 : 1000);
    }
    float f;
    do {
      f = Float.intBitsToFloat(random.nextInt());
    } while (!Float.isFinite(f));
    return f;
  }
}
