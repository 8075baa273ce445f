package io.mtlstream.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Learner checkpoints in the logged checkpoint store, split into chunks so that a checkpoint of
 * hundreds of MB fits changelog records of bounded size ({@link LearnerTopology#STATE_MAX_BYTES}).
 *
 * <p>Layout. The <b>head</b> of a model lives at the model id's UTF-8 bytes — the key the earlier
 * single-record checkpoint used — and names the generation, the chunk count, the payload length and
 * its CRC32C ({@link CheckpointHead}). Chunk {@code i} of generation {@code g} lives at {@code
 * 0xFF, int length of the model id, model id UTF-8, long g, int i} (big-endian). {@code 0xFF} never
 * occurs in UTF-8, so no chunk key equals any model's head key, and one model's chunks form one
 * contiguous key range whatever the other model ids are. A head value starting with the old
 * single-record magic ({@code MTLC}) is read as such a checkpoint, so existing state restores.
 *
 * <p>Why a checkpoint is never seen torn. {@link #put} writes, in this order: every chunk of the
 * new generation {@code g + 1} under keys no head names yet; then the head naming {@code g + 1};
 * then deletes for the chunks of older generations. The processor calls it while processing one
 * record, and Kafka Streams commits only between records, so with {@code exactly_once_v2} all of
 * these writes go into one transaction with the input offset: a restore (read_committed) sees all
 * of them or none. Even if a commit — or, under at-least-once, a crash — fell between two of the
 * writes, every prefix of the sequence leaves a whole checkpoint: before the head put the old head
 * still names the old chunks, which are deleted only after it; from the head put on, the new head
 * names chunks already written. Writes reach the store and its changelog in call order (the store
 * is not cached, and one changelog partition keeps order). Orphaned chunks of an interrupted
 * generation are removed by the next {@code put}, which sweeps the model's whole chunk range
 * (generations {@code put} did not write, and indices beyond its chunk count: generations follow
 * the head deterministically, so a replay writes the interrupted generation again). {@link #get}
 * checks the chunk count, the length and the CRC32C, so anything else is reported as corrupt.
 *
 * <p>Old chunks become tombstones, so the compacted changelog keeps about one checkpoint and a
 * restore stays bounded. Not thread-safe; used by one processor on its stream thread.
 */
final class CheckpointStore {

  /** Streams config (application properties) overriding {@link #DEFAULT_CHUNK_BYTES}. */
  static final String CHUNK_BYTES_CONFIG = "mtl.checkpoint.chunk.bytes";

  /**
   * Well below the changelog's 256 MiB record limit and the producer's {@code max.request.size},
   * and small enough that RocksDB and the restore consumer handle each value in one piece.
   */
  static final int DEFAULT_CHUNK_BYTES = 8 << 20;

  private static final byte CHUNK_MARK = (byte) 0xFF;

  private final KeyValueStore<Bytes, byte[]> store;
  private final int chunkBytes;

  CheckpointStore(KeyValueStore<Bytes, byte[]> store, int chunkBytes) {
    if (chunkBytes < 1) {
      throw new IllegalArgumentException("checkpoint chunk size must be >= 1 byte: " + chunkBytes);
    }
    this.store = store;
    this.chunkBytes = chunkBytes;
  }

  /** The chunk size from the Streams config value {@link #CHUNK_BYTES_CONFIG}, if set. */
  static int chunkBytes(Object configured) {
    return configured == null ? DEFAULT_CHUNK_BYTES : Integer.parseInt(configured.toString());
  }

  /** Replaces the model's checkpoint; see the class comment for the write order. */
  void put(String model, byte[] checkpoint) {
    CheckpointHead old = CheckpointHead.decodeOrNull(store.get(headKey(model)), model);
    long generation = old == null ? 1 : old.generation() + 1;
    int chunks = (int) ((checkpoint.length + (long) chunkBytes - 1) / chunkBytes);
    for (int i = 0; i < chunks; i++) {
      int from = i * chunkBytes;
      int to = (int) Math.min(checkpoint.length, (long) from + chunkBytes);
      store.put(chunkKey(model, generation, i), Arrays.copyOfRange(checkpoint, from, to));
    }
    store.put(
        headKey(model),
        new CheckpointHead(
                generation, chunks, checkpoint.length, crc(checkpoint, checkpoint.length))
            .encode());
    deleteChunksOtherThan(model, generation, chunks);
  }

  /**
   * The model's checkpoint bytes, reassembled and verified; null if it has none.
   *
   * @throws IllegalStateException if a chunk is missing or the bytes do not match the head
   */
  byte[] get(String model) {
    byte[] headBytes = store.get(headKey(model));
    if (headBytes == null || CheckpointHead.isSingleRecord(headBytes)) {
      return headBytes;
    }
    CheckpointHead head = CheckpointHead.decode(headBytes, model);
    byte[] out = new byte[head.length()];
    int at = 0;
    for (int i = 0; i < head.chunks(); i++) {
      byte[] chunk = store.get(chunkKey(model, head.generation(), i));
      if (chunk == null || chunk.length > out.length - at) {
        throw corrupt(model, head, chunk == null ? "chunk " + i + " is missing" : "too long");
      }
      System.arraycopy(chunk, 0, out, at, chunk.length);
      at += chunk.length;
    }
    if (at != out.length) {
      throw corrupt(model, head, "chunks hold " + at + " bytes");
    }
    if (crc(out, at) != head.crc32c()) {
      throw corrupt(model, head, "CRC32C mismatch");
    }
    return out;
  }

  private static IllegalStateException corrupt(String model, CheckpointHead head, String what) {
    return new IllegalStateException(
        "checkpoint of model '" + model + "' is torn or corrupt (" + head + "): " + what);
  }

  /** Deletes the model's chunks of other generations, and of this one beyond {@code chunks}. */
  private void deleteChunksOtherThan(String model, long generation, int chunks) {
    List<Bytes> stale = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it =
        store.range(chunkKey(model, 0, 0), chunkKey(model, Long.MAX_VALUE, Integer.MAX_VALUE))) {
      it.forEachRemaining(
          kv -> {
            if (generationOf(kv.key) != generation || indexOf(kv.key) >= chunks) {
              stale.add(kv.key);
            }
          });
    }
    stale.forEach(store::delete);
  }

  static Bytes headKey(String model) {
    return Bytes.wrap(model.getBytes(StandardCharsets.UTF_8));
  }

  static Bytes chunkKey(String model, long generation, int index) {
    byte[] m = model.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(
        ByteBuffer.allocate(1 + 4 + m.length + 8 + 4)
            .put(CHUNK_MARK)
            .putInt(m.length)
            .put(m)
            .putLong(generation)
            .putInt(index)
            .array());
  }

  private static long generationOf(Bytes chunkKey) {
    byte[] k = chunkKey.get();
    return ByteBuffer.wrap(k, k.length - 12, 8).getLong();
  }

  private static int indexOf(Bytes chunkKey) {
    byte[] k = chunkKey.get();
    return ByteBuffer.wrap(k, k.length - 4, 4).getInt();
  }

  private static int crc(byte[] bytes, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, length);
    return (int) crc.getValue();
  }
}
