package io.mtlstream.train.balance;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Maximum of the last {@code window} pushed values in O(1) amortised time and O(window) memory: a
 * monotonic deque (values strictly decreasing from front to back) in a ring buffer. A value is
 * dropped once a later value is at least as large, because it can then never be the maximum again.
 * Not thread-safe.
 */
final class SlidingMax {

  private final int window;
  private final long[] indices;
  private final double[] values;
  private int head;
  private int size;
  private long next;

  SlidingMax(int window) {
    this.window = window;
    this.indices = new long[window];
    this.values = new double[window];
  }

  void push(double value) {
    long index = next++;
    while (size > 0 && indices[head] <= index - window) {
      head = (head + 1) % window;
      size--;
    }
    while (size > 0 && values[slot(size - 1)] <= value) {
      size--;
    }
    indices[slot(size)] = index;
    values[slot(size)] = value;
    size++;
  }

  /** The maximum of the window, NaN before the first push. */
  double max() {
    return size == 0 ? Double.NaN : values[head];
  }

  private int slot(int offset) {
    return (head + offset) % window;
  }

  /** An independent copy with the same window contents (and the same internal layout). */
  SlidingMax copy() {
    SlidingMax c = new SlidingMax(window);
    System.arraycopy(indices, 0, c.indices, 0, window);
    System.arraycopy(values, 0, c.values, 0, window);
    c.head = head;
    c.size = size;
    c.next = next;
    return c;
  }

  void write(DataOutput out) throws IOException {
    out.writeLong(next);
    out.writeInt(size);
    for (int k = 0; k < size; k++) {
      out.writeLong(indices[slot(k)]);
      out.writeDouble(values[slot(k)]);
    }
  }

  /** Reads what {@link #write} wrote into a new instance with this one's window. */
  SlidingMax read(DataInput in) throws IOException {
    SlidingMax restored = new SlidingMax(window);
    restored.next = in.readLong();
    int n = in.readInt();
    if (n < 0 || n > window) {
      throw new IOException(
          "corrupt sliding-maximum state: " + n + " entries for a window of " + window);
    }
    for (int k = 0; k < n; k++) {
      restored.indices[k] = in.readLong();
      restored.values[k] = in.readDouble();
    }
    restored.size = n;
    return restored;
  }
}
