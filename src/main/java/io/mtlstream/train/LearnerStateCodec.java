package io.mtlstream.train;

import io.mtlstream.train.balance.Balancers;
import io.mtlstream.train.balance.LossBalancer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Binary format of the learner state (big-endian, {@link DataOutputStream} primitives):
 *
 * <pre>
 * int    magic 0x4D544C53 ("MTLS")      short version (1)
 * spec   inputs, trunk widths, activation, tasks (name, type, outputs, tower widths)
 * utf    balancer name                   utf optimizer kind     long seed
 * counters                               floats parameters, first moments, second moments
 * long[] per-segment optimizer steps     block label statistics   block balancer state
 * int    CRC32C of everything before it
 * </pre>
 *
 * Floats are stored as raw IEEE-754 bits, so a restored learner continues bit-identically. Readers
 * reject other magics, unknown versions, a checksum mismatch, and a state written for a different
 * model or balancer, each with a message saying which. Stateless and thread-safe.
 */
public final class LearnerStateCodec {

  public static final int MAGIC = 0x4D544C53;
  public static final short VERSION = 1;

  private LearnerStateCodec() {}

  static byte[] encode(LearnerSettings settings, LearnerState state) {
    try {
      var headOut = new ByteArrayOutputStream();
      var out = new DataOutputStream(headOut);
      out.writeInt(MAGIC);
      out.writeShort(VERSION);
      ModelSpecCodec.write(settings.model(), out);
      out.writeUTF(settings.balancer());
      out.writeUTF(settings.optimizer().kind().name());
      out.writeLong(settings.seed());
      state.counters().write(out);
      out.flush();
      var tailOut = new ByteArrayOutputStream();
      out = new DataOutputStream(tailOut);
      out.writeInt(state.segmentSteps().length);
      for (long s : state.segmentSteps()) {
        out.writeLong(s);
      }
      writeBlock(out, state.labels()::writeState);
      writeBlock(out, state.balancer()::writeState);
      out.flush();
      // The float arrays are hundreds of MB for large models: each is copied once, straight into
      // an output array of the exact size (same bytes as DataOutputStream would write).
      float[][] arrays = {state.parameters(), state.firstMoments(), state.secondMoments()};
      long size = headOut.size() + tailOut.size() + 4L;
      for (float[] a : arrays) {
        size += 4 + 4L * a.length;
      }
      if (size > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("learner state of " + size + " bytes exceeds 2 GiB");
      }
      ByteBuffer buf = ByteBuffer.allocate((int) size).order(ByteOrder.BIG_ENDIAN);
      buf.put(headOut.toByteArray());
      for (float[] a : arrays) {
        buf.putInt(a.length);
        buf.asFloatBuffer().put(a);
        buf.position(buf.position() + 4 * a.length);
      }
      buf.put(tailOut.toByteArray());
      CRC32C crc = new CRC32C();
      crc.update(buf.array(), 0, buf.position());
      buf.putInt((int) crc.getValue());
      return buf.array();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static LearnerState decode(LearnerSettings settings, byte[] data) {
    try {
      if (data.length < 10) {
        throw new IOException("learner state too short (" + data.length + " bytes)");
      }
      CRC32C crc = new CRC32C();
      crc.update(data, 0, data.length - 4);
      int stored = ByteBuffer.wrap(data, data.length - 4, 4).getInt();
      var source = new PositionedInput(data, data.length - 4);
      var in = new DataInputStream(source);
      if (in.readInt() != MAGIC) {
        throw new IOException("not an mtlstream learner state (bad magic)");
      }
      short version = in.readShort();
      if (version != VERSION) {
        throw new IOException(
            "learner state format version "
                + version
                + " is not supported (this build reads "
                + VERSION
                + ")");
      }
      if ((int) crc.getValue() != stored) {
        throw new IOException("learner state checksum mismatch: the bytes are corrupt");
      }
      ModelSpec spec = ModelSpecCodec.read(in);
      TaskMigration migration =
          TaskMigration.plan(spec, settings.model(), settings.allowTaskRemoval());
      String balancerName = in.readUTF();
      if (!balancerName.equals(settings.balancer())) {
        throw new IOException(
            "state was written by balancer '"
                + balancerName
                + "', settings ask for '"
                + settings.balancer()
                + "'");
      }
      String kind = in.readUTF();
      if (!kind.equals(settings.optimizer().kind().name())) {
        throw new IOException(
            "state holds "
                + kind
                + " optimizer moments, settings ask for "
                + settings.optimizer().kind());
      }
      in.readLong(); // seed: informational; parameters already carry its effect
      LearnerCounters counters = LearnerCounters.read(in, spec.taskCount());
      float[] parameters = readFloats(in, source);
      float[] first = readFloats(in, source);
      float[] second = readFloats(in, source);
      long[] segmentSteps = new long[in.readInt()];
      for (int i = 0; i < segmentSteps.length; i++) {
        segmentSteps[i] = in.readLong();
      }
      LabelStatistics labels = new LabelStatistics(spec, settings.labelHorizon());
      labels.readState(readBlock(in));
      LossBalancer balancer =
          Balancers.create(settings.balancer(), spec.taskCount(), settings.balancing());
      balancer.readState(readBlock(in));
      if (migration.isIdentity()) {
        return new LearnerState(
            parameters, first, second, segmentSteps, balancer, labels, counters);
      }
      int[] map = migration.newToOld();
      return new LearnerState(
          migration.parameters(parameters, settings.seed()),
          migration.moments(first),
          migration.moments(second),
          migration.segmentSteps(segmentSteps),
          balancer.remap(map),
          labels.remap(settings.model(), map),
          counters.remap(map));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot restore learner state: " + e.getMessage(), e);
    }
  }

  private interface StateWriter {
    void write(DataOutputStream out) throws IOException;
  }

  private static void writeBlock(DataOutputStream out, StateWriter writer) throws IOException {
    var block = new ByteArrayOutputStream();
    var blockOut = new DataOutputStream(block);
    writer.write(blockOut);
    blockOut.flush();
    out.writeInt(block.size());
    block.writeTo(out);
  }

  private static DataInputStream readBlock(DataInputStream in) throws IOException {
    byte[] block = new byte[in.readInt()];
    in.readFully(block);
    return new DataInputStream(new ByteArrayInputStream(block));
  }

  /** Reads an int count and that many floats without an intermediate copy of the bytes. */
  private static float[] readFloats(DataInputStream in, PositionedInput source) throws IOException {
    int n = in.readInt();
    int bytes = Math.multiplyExact(n, 4);
    if (bytes > source.available()) {
      throw new IOException("learner state truncated: " + n + " floats announced");
    }
    float[] values = new float[n];
    ByteBuffer.wrap(source.array(), source.position(), bytes)
        .order(ByteOrder.BIG_ENDIAN)
        .asFloatBuffer()
        .get(values);
    in.skipNBytes(bytes);
    return values;
  }

  /**
   * A byte-array stream that tells its position; {@link DataInputStream} reads ahead nothing, so
   * this is also the position of the data stream on top of it.
   */
  private static final class PositionedInput extends ByteArrayInputStream {
    PositionedInput(byte[] data, int length) {
      super(data, 0, length);
    }

    int position() {
      return pos;
    }

    byte[] array() {
      return buf;
    }
  }

  /** The model spec's binary form, shared with the snapshot format. */
  static final class ModelSpecCodec {
    private ModelSpecCodec() {}

    static void write(ModelSpec spec, DataOutputStream out) throws IOException {
      out.writeInt(spec.inputs());
      writeInts(out, spec.trunkWidths());
      out.writeUTF(spec.activation().name());
      out.writeInt(spec.taskCount());
      for (TaskSpec t : spec.tasks()) {
        out.writeUTF(t.name());
        out.writeUTF(t.type().name());
        out.writeInt(t.outputs());
        writeInts(out, t.towerWidths());
      }
    }

    static ModelSpec read(DataInputStream in) throws IOException {
      int inputs = in.readInt();
      int[] trunk = readInts(in);
      Activation activation = Activation.valueOf(in.readUTF());
      int n = in.readInt();
      List<TaskSpec> tasks = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        tasks.add(
            new TaskSpec(in.readUTF(), TaskType.valueOf(in.readUTF()), in.readInt(), readInts(in)));
      }
      return new ModelSpec(inputs, trunk, activation, tasks);
    }

    private static void writeInts(DataOutputStream out, int[] values) throws IOException {
      out.writeInt(values.length);
      for (int v : values) {
        out.writeInt(v);
      }
    }

    private static int[] readInts(DataInputStream in) throws IOException {
      int[] values = new int[in.readInt()];
      for (int i = 0; i < values.length; i++) {
        values[i] = in.readInt();
      }
      return values;
    }
  }
}
