package io.mtlstream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class CheckpointStoreTest {

  private static final int CHUNK = 1000;

  @Test
  void shouldRoundTripACheckpointSpreadOverManyChunks() {
    KeyValueStore<Bytes, byte[]> kv = newStore();
    byte[] payload = bytes(10_500, 1);
    new CheckpointStore(kv, CHUNK).put("default", payload);

    assertThat(new CheckpointStore(kv, CHUNK).get("default")).isEqualTo(payload);
    assertThat(entries(kv)).hasSize(11 + 1); // 11 chunks and the head
    assertThat(entries(kv).stream().mapToInt(e -> e.value.length).max().orElseThrow())
        .isEqualTo(CHUNK);
    // The chunk size may change between writer and reader: the head counts chunks, not bytes.
    assertThat(new CheckpointStore(kv, 7).get("default")).isEqualTo(payload);
  }

  @Test
  void shouldDeleteTheChunksOfEarlierGenerations() {
    KeyValueStore<Bytes, byte[]> kv = newStore();
    CheckpointStore store = new CheckpointStore(kv, CHUNK);
    store.put("default", bytes(10_500, 1));
    byte[] second = bytes(2_001, 2);
    store.put("default", second);

    assertThat(store.get("default")).isEqualTo(second);
    assertThat(entries(kv)).hasSize(3 + 1);
    assertThat(store.get("other")).isNull();
  }

  @Test
  void shouldNeverExposeATornCheckpointWhicheverPrefixOfTheWritesCommitted() {
    byte[] before = bytes(5_500, 3);
    byte[] after = bytes(3_200, 4);
    List<Object[]> writes = new ArrayList<>();
    KeyValueStore<Bytes, byte[]> recorded = newStore();
    new CheckpointStore(recorded, CHUNK).put("default", before);
    new CheckpointStore(recording(recorded, writes), CHUNK).put("default", after);
    assertThat(writes).hasSize(4 + 1 + 6); // new chunks, head, old chunks deleted

    for (int prefix = 0; prefix <= writes.size(); prefix++) {
      KeyValueStore<Bytes, byte[]> kv = newStore();
      new CheckpointStore(kv, CHUNK).put("default", before);
      for (Object[] w : writes.subList(0, prefix)) {
        kv.put((Bytes) w[0], (byte[]) w[1]);
      }
      byte[] seen = new CheckpointStore(kv, CHUNK).get("default");
      assertThat(seen).as("after %d of %d writes", prefix, writes.size()).isIn(before, after);
    }
  }

  @Test
  void shouldSweepChunksOrphanedByAnInterruptedCheckpoint() {
    KeyValueStore<Bytes, byte[]> kv = newStore();
    CheckpointStore store = new CheckpointStore(kv, CHUNK);
    store.put("default", bytes(1_500, 5));
    kv.put(CheckpointStore.chunkKey("default", 2, 0), new byte[] {1}); // torn generation 2
    kv.put(CheckpointStore.chunkKey("default", 2, 7), new byte[] {2});
    byte[] next = bytes(500, 6);
    store.put("default", next);

    assertThat(store.get("default")).isEqualTo(next);
    assertThat(entries(kv)).hasSize(1 + 1);
  }

  @Test
  void shouldReportAMissingChunk() {
    KeyValueStore<Bytes, byte[]> kv = newStore();
    CheckpointStore store = new CheckpointStore(kv, CHUNK);
    store.put("default", bytes(3_500, 7));
    kv.delete(CheckpointStore.chunkKey("default", 1, 2));

    assertThatThrownBy(() -> store.get("default"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("model 'default' is torn or corrupt")
        .hasMessageContaining("chunk 2 is missing");
  }

  @Test
  void shouldReportAFlippedByteAndAShortChunk() {
    KeyValueStore<Bytes, byte[]> kv = newStore();
    CheckpointStore store = new CheckpointStore(kv, CHUNK);
    store.put("default", bytes(3_500, 8));
    Bytes key = CheckpointStore.chunkKey("default", 1, 1);
    byte[] chunk = kv.get(key);
    chunk[17] ^= 1;
    kv.put(key, chunk);
    assertThatThrownBy(() -> store.get("default")).hasMessageContaining("CRC32C mismatch");

    kv.put(key, new byte[10]);
    assertThatThrownBy(() -> store.get("default")).hasMessageContaining("chunks hold 2510 bytes");
  }

  @Test
  void shouldRejectAHeadOfAnUnknownVersion() {
    KeyValueStore<Bytes, byte[]> kv = newStore();
    CheckpointStore store = new CheckpointStore(kv, CHUNK);
    store.put("default", bytes(100, 9));
    byte[] head = kv.get(CheckpointStore.headKey("default"));
    head[5] = 9;
    kv.put(CheckpointStore.headKey("default"), head);

    assertThatThrownBy(() -> store.get("default"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has version 9; this build reads 1");
  }

  @Test
  void shouldReadASingleRecordCheckpointWrittenBeforeChunking() {
    KeyValueStore<Bytes, byte[]> kv = newStore();
    byte[] legacy =
        new LearnerCheckpoint(bytes(3_000, 10), 5, Map.of(), -1, -1, Map.of(), new byte[0])
            .encode();
    kv.put(CheckpointStore.headKey("default"), legacy); // as Serdes.String() wrote the key
    CheckpointStore store = new CheckpointStore(kv, CHUNK);

    assertThat(store.get("default")).isEqualTo(legacy);
    byte[] next = bytes(2_500, 11);
    store.put("default", next);
    assertThat(store.get("default")).isEqualTo(next);
  }

  @Test
  void shouldKeepModelsApartWhenOneIdLooksLikeAnotherModelsChunkKey() {
    KeyValueStore<Bytes, byte[]> kv = newStore();
    CheckpointStore store = new CheckpointStore(kv, CHUNK);
    byte[] a = bytes(2_500, 12);
    byte[] b = bytes(1_200, 13);
    byte[] c = bytes(800, 14);
    store.put("m", a);
    store.put("m#1#0", b);
    store.put("m\u0000\u0000", c);
    store.put("m", a);

    assertThat(store.get("m")).isEqualTo(a);
    assertThat(store.get("m#1#0")).isEqualTo(b);
    assertThat(store.get("m\u0000\u0000")).isEqualTo(c);
  }

  private static KeyValueStore<Bytes, byte[]> newStore() {
    KeyValueStore<Bytes, byte[]> store =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("checkpoints"), Serdes.Bytes(), Serdes.ByteArray())
            .withLoggingDisabled()
            .build();
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    return store;
  }

  /** The store, with every put and delete also appended to {@code writes} as (key, value). */
  @SuppressWarnings("unchecked")
  private static KeyValueStore<Bytes, byte[]> recording(
      KeyValueStore<Bytes, byte[]> store, List<Object[]> writes) {
    return (KeyValueStore<Bytes, byte[]>)
        Proxy.newProxyInstance(
            KeyValueStore.class.getClassLoader(),
            new Class<?>[] {KeyValueStore.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "put" -> writes.add(new Object[] {args[0], args[1]});
                case "delete" -> writes.add(new Object[] {args[0], null});
                case "putAll", "putIfAbsent" -> throw new AssertionError("unexpected write");
                default -> {}
              }
              try {
                return method.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static List<KeyValue<Bytes, byte[]>> entries(KeyValueStore<Bytes, byte[]> kv) {
    List<KeyValue<Bytes, byte[]>> out = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = kv.all()) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < n; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    return b;
  }
}
