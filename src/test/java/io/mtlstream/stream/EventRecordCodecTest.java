package io.mtlstream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mtlstream.event.LabeledEvent;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class EventRecordCodecTest {

  @Test
  void shouldRoundTripEveryFieldAndEveryFloatBitForBit() {
    float[] features = {1.5f, -0.0f, Float.MIN_VALUE, Float.MAX_VALUE, -3.25e-20f, 7f};
    float[] label = {0f, 1f, 0.333333f};
    LabeledEvent e = new LabeledEvent("ev-ü", "tenant-a", "ctr", features, label, 1_700_000_123L);

    LabeledEvent back = EventRecordCodec.decode(EventRecordCodec.encode(e));

    assertThat(back).isEqualTo(e);
    for (int i = 0; i < features.length; i++) {
      assertThat(Float.floatToRawIntBits(back.feature(i)))
          .isEqualTo(Float.floatToRawIntBits(features[i]));
    }
    assertThat(back.label()).containsExactly(label);
  }

  @Test
  void shouldWriteTheDocumentedBigEndianLayout() {
    LabeledEvent e = new LabeledEvent(null, "m", "t", new float[] {2f}, new float[] {-1f}, 9L);

    ByteBuffer b = ByteBuffer.wrap(EventRecordCodec.encode(e));

    assertThat(b.get()).isEqualTo((byte) 1);
    assertThat(b.getInt()).isEqualTo(1);
    assertThat(b.get()).isEqualTo((byte) 'm');
    assertThat(b.getInt()).isEqualTo(1);
    assertThat(b.get()).isEqualTo((byte) 't');
    assertThat(b.getInt()).isEqualTo(-1);
    assertThat(b.getLong()).isEqualTo(9L);
    assertThat(b.getInt()).isEqualTo(1);
    assertThat(b.getFloat()).isEqualTo(2f);
    assertThat(b.getInt()).isEqualTo(1);
    assertThat(b.getFloat()).isEqualTo(-1f);
    assertThat(b.hasRemaining()).isFalse();
  }

  @Test
  void shouldRejectAnUnknownVersion() {
    byte[] bytes =
        EventRecordCodec.encode(new LabeledEvent(null, "m", "t", new float[1], new float[1], 0));
    bytes[0] = 2;
    assertThatThrownBy(() -> EventRecordCodec.decode(bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version 2 is not supported");
  }
}
