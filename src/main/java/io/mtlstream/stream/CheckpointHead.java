package io.mtlstream.stream;

import java.nio.ByteBuffer;

/**
 * The head record of a chunked checkpoint ({@link CheckpointStore}): which generation of chunks
 * holds the model's checkpoint, how many there are, and the length and CRC32C of their
 * concatenation. Layout, big-endian: int magic {@code MTCK}, short version 1, long generation, int
 * chunk count, int length, int CRC32C (26 bytes).
 *
 * @param generation chunk generation, ≥ 1, one more at every checkpoint
 * @param chunks number of chunks, ≥ 0
 * @param length payload bytes, ≥ 0
 * @param crc32c CRC32C of the payload
 */
record CheckpointHead(long generation, int chunks, int length, int crc32c) {

  private static final int MAGIC = 0x4D54434B; // "MTCK"
  private static final short VERSION = 1;
  private static final int SIZE = 26;
  private static final int SINGLE_RECORD_MAGIC = 0x4D544C43; // LearnerCheckpoint's "MTLC"

  CheckpointHead {
    if (generation < 1 || chunks < 0 || length < 0 || chunks > length) {
      throw new IllegalArgumentException(
          "bad checkpoint head: generation " + generation + ", " + chunks + " chunks, " + length);
    }
  }

  /** Whether the value is a whole checkpoint as written before chunking (read as is). */
  static boolean isSingleRecord(byte[] value) {
    return value.length >= 4 && ByteBuffer.wrap(value).getInt() == SINGLE_RECORD_MAGIC;
  }

  byte[] encode() {
    return ByteBuffer.allocate(SIZE)
        .putInt(MAGIC)
        .putShort(VERSION)
        .putLong(generation)
        .putInt(chunks)
        .putInt(length)
        .putInt(crc32c)
        .array();
  }

  /**
   * @throws IllegalStateException if the value is not a head this build reads
   */
  static CheckpointHead decode(byte[] value, String model) {
    ByteBuffer in = ByteBuffer.wrap(value);
    if (value.length < 6 || in.getInt() != MAGIC) {
      throw new IllegalStateException("checkpoint head of model '" + model + "': bad magic");
    }
    short version = in.getShort();
    if (version != VERSION) {
      throw new IllegalStateException(
          "checkpoint head of model '"
              + model
              + "' has version "
              + version
              + "; this build reads "
              + VERSION);
    }
    if (value.length != SIZE) {
      throw new IllegalStateException(
          "checkpoint head of model '" + model + "' has " + value.length + " bytes, not " + SIZE);
    }
    try {
      return new CheckpointHead(in.getLong(), in.getInt(), in.getInt(), in.getInt());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("checkpoint head of model '" + model + "': " + e, e);
    }
  }

  /** The head of a chunked checkpoint, or null for none or a single-record checkpoint. */
  static CheckpointHead decodeOrNull(byte[] value, String model) {
    return value == null || isSingleRecord(value) ? null : decode(value, model);
  }
}
