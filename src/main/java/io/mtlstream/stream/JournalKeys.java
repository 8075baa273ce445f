package io.mtlstream.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Journal keys: model id (UTF-8), a 0 byte, then the sequence number as 8 big-endian bytes, so a
 * model's entries sort by sequence and form one contiguous range of the store.
 */
final class JournalKeys {

  private JournalKeys() {}

  static Bytes key(String model, long seq) {
    byte[] m = model.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(m.length + 9).put(m).put((byte) 0).putLong(seq).array());
  }

  /** The sequence number of a key made by {@link #key}. */
  static long seq(Bytes key) {
    byte[] k = key.get();
    return ByteBuffer.wrap(k, k.length - 8, 8).getLong();
  }

  /** First key of the model's range. */
  static Bytes from(String model) {
    return key(model, 0);
  }

  /** Last key of the model's range. */
  static Bytes to(String model) {
    return key(model, Long.MAX_VALUE);
  }
}
