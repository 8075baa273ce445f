package io.mtlstream.event;

import java.nio.ByteOrder;

/**
 * Constants of the binary event encoding, version 1 (docs/EVENT_FORMAT.md is the specification):
 *
 * <pre>
 * u8  magic 0xB7 | u8 version 1 | u8 flags (bit 0 model, 1 task, 2 id, 3 ts; others 0)
 * [u16 length + UTF-8 model] [u16 length + UTF-8 task] [u16 length + UTF-8 id] [i64 ts]
 * u32 feature count + float32 features | u32 label count + float32 labels   (little-endian)
 * </pre>
 *
 * <p>0xB7 is a UTF-8 continuation byte, so it can never be the first byte of a JSON text (nor of
 * UTF-16/32 JSON or a byte-order mark): readers can tell the two encodings apart by the first byte.
 */
public final class BinaryEventFormat {

  /** First byte of every binary event. */
  public static final byte MAGIC = (byte) 0xB7;

  /** The only version this build reads and writes; readers reject any other. */
  public static final int VERSION = 1;

  /** Multi-byte integers and floats: little-endian, as numpy's {@code '<f4'} and x86/ARM. */
  public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

  public static final int FLAG_MODEL = 1;
  public static final int FLAG_TASK = 2;
  public static final int FLAG_ID = 4;
  public static final int FLAG_TIMESTAMP = 8;

  /** Flags defined by version 1; a reader rejects others (new fields mean a new version). */
  public static final int KNOWN_FLAGS = FLAG_MODEL | FLAG_TASK | FLAG_ID | FLAG_TIMESTAMP;

  /** Magic, version, flags. */
  public static final int HEADER_BYTES = 3;

  /** Longest model, task or id: an unsigned 16-bit length, in UTF-8 bytes. */
  public static final int MAX_STRING_BYTES = 0xFFFF;

  private BinaryEventFormat() {}

  /** Whether {@code value} starts with the binary magic byte (a JSON text never does). */
  public static boolean isBinary(byte[] value) {
    return value != null && value.length > 0 && value[0] == MAGIC;
  }
}
