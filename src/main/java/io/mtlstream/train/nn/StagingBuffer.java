package io.mtlstream.train.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.function.Consumer;

/**
 * One reusable direct buffer that a step's input arrays (features, labels) are created on.
 *
 * <p>On CPU, DJL creates an array from a direct buffer without copying: the tensor aliases the
 * buffer. From a Java {@code float[]} it allocates a fresh direct buffer per array instead, whose
 * native memory returns only when the garbage collector finds the buffer object — with a large heap
 * that is rarely, so resident memory climbed by megabytes per second in a soak. Here a step {@link
 * #begin begins} by reserving room for all its inputs and creates arrays on consecutive slices;
 * they are valid until the next {@code begin}, so they must belong to a per-step manager that is
 * closed before then. Growing keeps earlier slices valid (each array holds its slice, which holds
 * the old buffer). Not thread-safe: one owner thread.
 */
public final class StagingBuffer {

  private ByteBuffer buffer = ByteBuffer.allocateDirect(0);
  private int used;

  /** Starts a step that will stage at most {@code floats} values; earlier slices become invalid. */
  public void begin(long floats) {
    if (floats > Integer.MAX_VALUE / Float.BYTES) {
      throw new IllegalArgumentException("cannot stage " + floats + " floats in one buffer");
    }
    int bytes = (int) floats * Float.BYTES;
    if (buffer.capacity() < bytes) {
      buffer = ByteBuffer.allocateDirect(Math.max(bytes, buffer.capacity() * 2));
    }
    used = 0;
  }

  /**
   * An array of {@code shape} on the next free slice, filled by {@code fill} through a float view
   * of the slice (no copy into native memory beyond that).
   */
  public NDArray array(NDManager manager, Shape shape, Consumer<FloatBuffer> fill) {
    int bytes = Math.toIntExact(shape.size()) * Float.BYTES;
    if (used + bytes > buffer.capacity()) {
      throw new IllegalStateException("staging more floats than begin() reserved");
    }
    ByteBuffer slice = buffer.slice(used, bytes).order(ByteOrder.nativeOrder());
    used += bytes;
    fill.accept(slice.asFloatBuffer());
    return manager.create(slice, shape, DataType.FLOAT32);
  }

  /** An array of {@code shape} holding a copy of {@code values}. */
  public NDArray array(NDManager manager, float[] values, Shape shape) {
    return array(manager, shape, f -> f.put(values));
  }
}
