package io.mtlstream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JournalChunkTest {

  private static byte[] record(int i) {
    return ("event-" + i).getBytes(StandardCharsets.UTF_8);
  }

  /** What the journal store would hold: the last value written per sequence number. */
  private static Map<Long, byte[]> write(JournalChunk chunk, int count) {
    Map<Long, byte[]> store = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      long seq = chunk.append(record(i));
      store.put(seq, chunk.value());
    }
    return store;
  }

  private static List<String> replay(Map<Long, byte[]> store) {
    List<String> out = new ArrayList<>();
    store.values().stream()
        .flatMap(v -> JournalChunk.records(v).stream())
        .forEach(r -> out.add(new String(r, StandardCharsets.UTF_8)));
    return out;
  }

  @Test
  void shouldReplayEveryAppendedRecordInOrderAcrossChunks() {
    Map<Long, byte[]> store = write(new JournalChunk(5, 4, 1 << 20), 10);

    assertThat(store.keySet()).containsExactly(5L, 6L, 7L);
    assertThat(replay(store))
        .containsExactly(
            "event-0", "event-1", "event-2", "event-3", "event-4", "event-5", "event-6", "event-7",
            "event-8", "event-9");
  }

  @Test
  void shouldHoldEverythingSoFarAtAnyPointSoACommitBetweenTwoInputsLosesNothing() {
    JournalChunk chunk = new JournalChunk(0, 8, 1 << 20);
    Map<Long, byte[]> store = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      store.put(chunk.append(record(i)), chunk.value());
      assertThat(replay(store)).hasSize(i + 1).last().isEqualTo("event-" + i);
    }
  }

  @Test
  void shouldStartANewChunkWhenTheByteLimitWouldBeExceeded() {
    JournalChunk chunk = new JournalChunk(0, 100, 2 + 2 * (4 + 7));
    assertThat(chunk.append(record(1))).isZero();
    assertThat(chunk.append(record(2))).isZero();
    assertThat(chunk.append(record(3))).isEqualTo(1);
    assertThat(chunk.nextSeq()).isEqualTo(2);
  }

  @Test
  void shouldKeepARecordLargerThanTheByteLimitInAChunkOfItsOwn() {
    JournalChunk chunk = new JournalChunk(0, 100, 8);
    byte[] big = new byte[1000];
    big[999] = 42;
    assertThat(chunk.append(big)).isZero();
    assertThat(JournalChunk.records(chunk.value())).singleElement().isEqualTo(big);
    assertThat(chunk.append(record(1))).isEqualTo(1);
  }

  @Test
  void shouldNameTheNextSequenceWithoutSkippingWhenNothingWasAppended() {
    assertThat(new JournalChunk(9, 4, 64).nextSeq()).isEqualTo(9);
  }

  @Test
  void shouldReadAnEntryWrittenBeforeChunksAsOneRecord() {
    byte[] legacy = EventRecordCodecBytes.eventRecordPrefix();
    assertThat(JournalChunk.records(legacy)).singleElement().isEqualTo(legacy);
    byte[] notice = LearnerInput.rejection("malformed_json");
    assertThat(JournalChunk.records(notice)).singleElement().isEqualTo(notice);
  }

  @Test
  void shouldRejectCorruptChunksWithAClearMessage() {
    JournalChunk chunk = new JournalChunk(0, 4, 1 << 10);
    chunk.append(record(1));
    byte[] value = chunk.value();
    byte[] truncated = java.util.Arrays.copyOf(value, value.length - 2);
    assertThatThrownBy(() -> JournalChunk.records(truncated))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("corrupt journal chunk");
    value[1] = 9;
    assertThatThrownBy(() -> JournalChunk.records(value))
        .hasMessageContaining("journal chunk version 9");
  }

  /** The first bytes of an event record as the codec writes it (version 1). */
  private static final class EventRecordCodecBytes {
    static byte[] eventRecordPrefix() {
      return new byte[] {1, 0, 0, 0, 1, 'm'};
    }
  }
}
