package io.mtlstream.event;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes binary event bytes field by field, as a foreign producer would (e.g. Python's {@code
 * struct}), so tests can also build records the encoder never writes. Not thread-safe.
 */
final class BinaryBytes {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static BinaryBytes header(int flags) {
    return new BinaryBytes().u8(0xB7).u8(1).u8(flags);
  }

  BinaryBytes u8(int v) {
    out.write(v);
    return this;
  }

  BinaryBytes u16(int v) {
    return bytes(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) v));
  }

  BinaryBytes u32(long v) {
    return bytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v));
  }

  BinaryBytes i64(long v) {
    return bytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v));
  }

  BinaryBytes str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    u16(b.length);
    out.writeBytes(b);
    return this;
  }

  BinaryBytes raw(byte... b) {
    out.writeBytes(b);
    return this;
  }

  BinaryBytes floats(float... values) {
    u32(values.length);
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return bytes(b);
  }

  byte[] build() {
    return out.toByteArray();
  }

  private BinaryBytes bytes(ByteBuffer b) {
    out.writeBytes(b.array());
    return this;
  }
}
