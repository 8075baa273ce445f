package io.mtlstream.stream;

import io.mtlstream.event.LabeledEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Compact binary form of a validated event, used between the decode and learner stages (the
 * repartition topic) and in the learner's journal. Parsing JSON once, at the edge, keeps the
 * learner's per-record cost to a few array copies. Layout (big-endian): version byte (1), model,
 * task and id as length-prefixed UTF-8 (id length −1 = null), timestamp, feature count + float32
 * values, label count + float32 values. Stateless and thread-safe.
 */
public final class EventRecordCodec {

  private static final byte VERSION = 1;

  private EventRecordCodec() {}

  public static byte[] encode(LabeledEvent e) {
    byte[] model = e.model().getBytes(StandardCharsets.UTF_8);
    byte[] task = e.task().getBytes(StandardCharsets.UTF_8);
    byte[] id = e.id() == null ? null : e.id().getBytes(StandardCharsets.UTF_8);
    int size =
        1
            + 4
            + model.length
            + 4
            + task.length
            + 4
            + (id == null ? 0 : id.length)
            + 8
            + 4
            + 4 * e.featureCount()
            + 4
            + 4 * e.labelWidth();
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put(VERSION);
    b.putInt(model.length).put(model);
    b.putInt(task.length).put(task);
    b.putInt(id == null ? -1 : id.length);
    if (id != null) {
      b.put(id);
    }
    b.putLong(e.timestamp());
    b.putInt(e.featureCount());
    e.putFeatures(b);
    b.putInt(e.labelWidth());
    e.putLabel(b);
    return b.array();
  }

  public static LabeledEvent decode(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    byte version = b.get();
    if (version != VERSION) {
      throw new IllegalArgumentException(
          "event record version "
              + version
              + " is not supported (this build reads "
              + VERSION
              + ")");
    }
    String model = string(b);
    String task = string(b);
    int idLength = b.getInt();
    String id = null;
    if (idLength >= 0) {
      byte[] raw = new byte[idLength];
      b.get(raw);
      id = new String(raw, StandardCharsets.UTF_8);
    }
    long ts = b.getLong();
    float[] features = floats(b);
    float[] label = floats(b);
    return new LabeledEvent(id, model, task, features, label, ts);
  }

  private static String string(ByteBuffer b) {
    byte[] raw = new byte[b.getInt()];
    b.get(raw);
    return new String(raw, StandardCharsets.UTF_8);
  }

  private static float[] floats(ByteBuffer b) {
    int n = b.getInt();
    if (n < 0 || n > b.remaining() / 4) {
      throw new IllegalArgumentException("corrupt event record: " + n + " floats announced");
    }
    float[] v = new float[n];
    b.asFloatBuffer().get(v);
    b.position(b.position() + 4 * n);
    return v;
  }
}
