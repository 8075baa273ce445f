package io.mtlstream.event;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes events in the binary encoding that {@link BinaryEventDecoder} reads ({@link
 * BinaryEventFormat}, docs/EVENT_FORMAT.md): the counterpart of {@link EventEncoder} for producers,
 * the synthetic generator and tests. Floats are written as their exact bits. The model is always
 * written; the id when there is one; a negative timestamp (unknown) is left out, so the reader
 * falls back to the record timestamp.
 *
 * <p>Thread-safe and reusable: it holds no per-call state.
 */
public final class BinaryEventEncoder {

  /**
   * Encodes one event.
   *
   * @param e the event
   * @param includeTask whether to write the task: required on a mixed topic, redundant on the
   *     task's own topic
   * @throws IllegalArgumentException if the model, task or id is longer than 65535 UTF-8 bytes
   */
  public byte[] encode(LabeledEvent e, boolean includeTask) {
    byte[] model = utf8(e.model(), "model");
    byte[] task = includeTask ? utf8(e.task(), "task") : null;
    byte[] id = e.id() == null ? null : utf8(e.id(), "id");
    boolean hasTs = e.timestamp() >= 0; // negative: unknown (Kafka's NO_TIMESTAMP)
    int flags =
        BinaryEventFormat.FLAG_MODEL
            | (task != null ? BinaryEventFormat.FLAG_TASK : 0)
            | (id != null ? BinaryEventFormat.FLAG_ID : 0)
            | (hasTs ? BinaryEventFormat.FLAG_TIMESTAMP : 0);
    int size =
        BinaryEventFormat.HEADER_BYTES
            + 2
            + model.length
            + (task == null ? 0 : 2 + task.length)
            + (id == null ? 0 : 2 + id.length)
            + (hasTs ? 8 : 0)
            + 4
            + 4 * e.featureCount()
            + 4
            + 4 * e.labelWidth();
    ByteBuffer b = ByteBuffer.allocate(size).order(BinaryEventFormat.ORDER);
    b.put(BinaryEventFormat.MAGIC).put((byte) BinaryEventFormat.VERSION).put((byte) flags);
    putString(b, model);
    if (task != null) {
      putString(b, task);
    }
    if (id != null) {
      putString(b, id);
    }
    if (hasTs) {
      b.putLong(e.timestamp());
    }
    float[] features = new float[e.featureCount()];
    e.copyFeaturesInto(features, 0);
    putFloats(b, features);
    float[] label = new float[e.labelWidth()];
    e.copyLabelInto(label, 0);
    putFloats(b, label);
    return b.array();
  }

  private static byte[] utf8(String text, String what) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > BinaryEventFormat.MAX_STRING_BYTES) {
      throw new IllegalArgumentException(
          what + " is " + bytes.length + " UTF-8 bytes; the binary encoding allows 65535");
    }
    return bytes;
  }

  private static void putString(ByteBuffer b, byte[] bytes) {
    b.putShort((short) bytes.length).put(bytes);
  }

  private static void putFloats(ByteBuffer b, float[] values) {
    b.putInt(values.length);
    b.asFloatBuffer().put(values);
    b.position(b.position() + 4 * values.length);
  }
}
