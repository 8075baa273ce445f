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
      var bytes = new ByteArrayOutputStream(state.parameters().length * 12 + 4096);
      var out = new DataOutputStream(bytes);
      out.writeInt(MAGIC);
      out.writeShort(VERSION);
      ModelSpecCodec.write(settings.model(), out);
      out.writeUTF(settings.balancer());
      out.writeUTF(settings.optimizer().kind().name());
      out.writeLong(settings.seed());
      state.counters().write(out);
      writeFloats(out, state.parameters());
      writeFloats(out, state.firstMoments());
      writeFloats(out, state.secondMoments());
      out.writeInt(state.segmentSteps().length);
      for (long s : state.segmentSteps()) {
        out.writeLong(s);
      }
      writeBlock(out, state.labels()::writeState);
      writeBlock(out, state.balancer()::writeState);
      out.flush();
      CRC32C crc = new CRC32C();
      crc.update(bytes.toByteArray());
      out.writeInt((int) crc.getValue());
      return bytes.toByteArray();
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
      var in = new DataInputStream(new ByteArrayInputStream(data, 0, data.length - 4));
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
      float[] parameters = readFloats(in);
      float[] first = readFloats(in);
      float[] second = readFloats(in);
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

  private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
    out.writeInt(values.length);
    ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.BIG_ENDIAN);
    buf.asFloatBuffer().put(values);
    out.write(buf.array());
  }

  private static float[] readFloats(DataInputStream in) throws IOException {
    int n = in.readInt();
    byte[] raw = new byte[Math.multiplyExact(n, 4)];
    in.readFully(raw);
    float[] values = new float[n];
    ByteBuffer.wrap(raw).order(ByteOrder.BIG_ENDIAN).asFloatBuffer().get(values);
    return values;
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
