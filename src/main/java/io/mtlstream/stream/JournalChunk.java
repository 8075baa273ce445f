package io.mtlstream.stream;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The open chunk of one model's journal. Inputs consumed since the last checkpoint are journaled in
 * chunks of up to {@code maxRecords} records (and about {@code maxBytes}): every input rewrites its
 * chunk's entry with the input appended, so the cached journal store sends one changelog record and
 * one RocksDB write per chunk at a commit instead of one per input, and a checkpoint deletes a few
 * chunk keys instead of thousands of event keys. A commit between any two inputs still finds every
 * consumed input in the store: the entry always holds the whole chunk so far.
 *
 * <p>Value layout: marker byte {@code 0xA7}, version byte 1, then per record a 4-byte big-endian
 * length and the record's bytes (a {@link LearnerInput}). A value not starting with the marker is a
 * single record, as written before journal chunks existed (records start with 1 or {@code 'R'}).
 * Not thread-safe.
 */
final class JournalChunk {

  static final int DEFAULT_MAX_RECORDS = 32;

  /**
   * Every input rewrites its chunk's entry, so an input costs a copy of half a chunk on average: 16
   * KiB keeps that to ~8 KiB (a 64 KiB cap copied ~23 KiB per 1.4 KiB toy event, a third of the
   * process's allocations in bench pipeline) while a commit still writes one changelog record per
   * ~11 such events.
   */
  static final int DEFAULT_MAX_BYTES = 16 << 10;

  private static final byte MARKER = (byte) 0xA7;
  private static final byte VERSION = 1;
  private static final int HEADER = 2;

  private final int maxRecords;
  private final int maxBytes;
  private long seq;
  private byte[] buffer;
  private int size;
  private int records;

  /**
   * @param firstSeq journal sequence number (key) of the first chunk this writer fills
   */
  JournalChunk(long firstSeq, int maxRecords, int maxBytes) {
    if (maxRecords < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("journal chunks need room for at least one record");
    }
    this.seq = firstSeq;
    this.maxRecords = maxRecords;
    this.maxBytes = maxBytes;
    this.buffer = new byte[256];
    reset();
  }

  /**
   * Appends a record, starting the next chunk first when this one is full; returns the sequence
   * number whose entry must now be written with {@link #value()}.
   */
  long append(byte[] record) {
    if (records > 0 && (records >= maxRecords || size + 4 + record.length > maxBytes)) {
      seq++;
      reset();
    }
    ensure(size + 4 + record.length);
    ByteBuffer.wrap(buffer, size, 4).putInt(record.length);
    System.arraycopy(record, 0, buffer, size + 4, record.length);
    size += 4 + record.length;
    records++;
    return seq;
  }

  /** The current chunk's entry value. */
  byte[] value() {
    return Arrays.copyOf(buffer, size);
  }

  /** Sequence number of the next chunk a new writer should start with (after a checkpoint). */
  long nextSeq() {
    return records == 0 ? seq : seq + 1;
  }

  /** Records of a journal entry, in order; rejects corrupt entries with a clear message. */
  static List<byte[]> records(byte[] value) {
    if (value.length == 0 || value[0] != MARKER) {
      return List.of(value);
    }
    if (value.length < HEADER || value[1] != VERSION) {
      throw new IllegalArgumentException(
          "journal chunk version "
              + (value.length < HEADER ? "?" : value[1])
              + " is not supported");
    }
    ByteBuffer b = ByteBuffer.wrap(value, HEADER, value.length - HEADER);
    List<byte[]> out = new ArrayList<>();
    while (b.hasRemaining()) {
      int n = b.remaining() >= 4 ? b.getInt() : -1;
      if (n < 0 || n > b.remaining()) {
        throw new IllegalArgumentException("corrupt journal chunk: record of " + n + " bytes");
      }
      byte[] record = new byte[n];
      b.get(record);
      out.add(record);
    }
    return out;
  }

  private void reset() {
    buffer[0] = MARKER;
    buffer[1] = VERSION;
    size = HEADER;
    records = 0;
  }

  private void ensure(int capacity) {
    if (capacity > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(capacity, buffer.length * 2));
    }
  }
}
