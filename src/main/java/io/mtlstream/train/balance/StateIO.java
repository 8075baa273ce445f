package io.mtlstream.train.balance;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The shared pieces of the balancers' binary state layout: a header (type tag, version byte, task
 * count) and length-checked arrays. Readers reject anything they did not write themselves with a
 * message that says what was expected, so a restored learner never runs on misread state.
 */
final class StateIO {

  private StateIO() {}

  static void writeHeader(DataOutput out, String tag, int version, int taskCount)
      throws IOException {
    out.writeUTF(tag);
    out.writeByte(version);
    out.writeInt(taskCount);
  }

  static void readHeader(DataInput in, String tag, int version, int taskCount) throws IOException {
    String found = in.readUTF();
    if (!found.equals(tag)) {
      throw new IOException(
          "state was written by '"
              + found
              + "' but is being read by '"
              + tag
              + "': configure the same balancer and reference strategy as the saved learner");
    }
    int foundVersion = in.readUnsignedByte();
    if (foundVersion != version) {
      throw new IOException(
          "'"
              + tag
              + "' state has version "
              + foundVersion
              + "; this build reads version "
              + version);
    }
    int foundTasks = in.readInt();
    if (foundTasks != taskCount) {
      throw new IOException(
          "'" + tag + "' state holds " + foundTasks + " tasks but the model has " + taskCount);
    }
  }

  /** Reads an int setting written into the state and rejects a mismatch with the configuration. */
  static void expectSetting(DataInput in, String tag, String setting, long configured)
      throws IOException {
    long saved = in.readLong();
    if (saved != configured) {
      throw new IOException(
          "'"
              + tag
              + "' state was written with "
              + setting
              + "="
              + saved
              + " but "
              + configured
              + " is configured");
    }
  }

  static void writeDoubles(DataOutput out, double[] values) throws IOException {
    out.writeInt(values.length);
    for (double v : values) {
      out.writeDouble(v);
    }
  }

  static double[] readDoubles(DataInput in, int expectedLength, String what) throws IOException {
    checkLength(in.readInt(), expectedLength, what);
    double[] values = new double[expectedLength];
    for (int i = 0; i < values.length; i++) {
      values[i] = in.readDouble();
    }
    return values;
  }

  static void writeLongs(DataOutput out, long[] values) throws IOException {
    out.writeInt(values.length);
    for (long v : values) {
      out.writeLong(v);
    }
  }

  static long[] readLongs(DataInput in, int expectedLength, String what) throws IOException {
    checkLength(in.readInt(), expectedLength, what);
    long[] values = new long[expectedLength];
    for (int i = 0; i < values.length; i++) {
      values[i] = in.readLong();
    }
    return values;
  }

  static void writeBooleans(DataOutput out, boolean[] values) throws IOException {
    out.writeInt(values.length);
    for (boolean v : values) {
      out.writeBoolean(v);
    }
  }

  static boolean[] readBooleans(DataInput in, int expectedLength, String what) throws IOException {
    checkLength(in.readInt(), expectedLength, what);
    boolean[] values = new boolean[expectedLength];
    for (int i = 0; i < values.length; i++) {
      values[i] = in.readBoolean();
    }
    return values;
  }

  private static void checkLength(int found, int expected, String what) throws IOException {
    if (found != expected) {
      throw new IOException(
          "corrupt balancer state: " + what + " has " + found + " entries, expected " + expected);
    }
  }
}
