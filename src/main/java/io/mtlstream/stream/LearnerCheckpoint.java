package io.mtlstream.stream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model's checkpoint in the learner state store: the learner state (parameters, optimizer,
 * balancer, counters) plus the stream-side state that must survive with it. Taken right after a
 * training step, so no partly filled batch is pending; events after it live in the journal.
 *
 * @param learnerState bytes of {@code MultiTaskLearner.saveState()}
 * @param nextJournalSeq sequence number (key) of the next journal chunk
 * @param rejected dead-lettered events by reason code, cumulative
 * @param newestEventTimestamp event time of the newest trained event, -1 if none
 * @param lastSnapshotEventTime event time at the last published snapshot, -1 if none
 * @param inputOffsets "topic-partition" → next offset, of the learner's input
 * @param evaluation prequential evaluator and snapshot gate state (empty: start them fresh)
 */
record LearnerCheckpoint(
    byte[] learnerState,
    long nextJournalSeq,
    Map<String, Long> rejected,
    long newestEventTimestamp,
    long lastSnapshotEventTime,
    Map<String, Long> inputOffsets,
    byte[] evaluation) {

  private static final int MAGIC = 0x4D544C43; // "MTLC"
  private static final short VERSION = 2;

  byte[] encode() {
    try {
      var bytes = new ByteArrayOutputStream(learnerState.length + 256);
      var out = new DataOutputStream(bytes);
      out.writeInt(MAGIC);
      out.writeShort(VERSION);
      out.writeLong(nextJournalSeq);
      out.writeLong(newestEventTimestamp);
      out.writeLong(lastSnapshotEventTime);
      writeMap(out, rejected);
      writeMap(out, inputOffsets);
      out.writeInt(learnerState.length);
      out.write(learnerState);
      out.writeInt(evaluation.length);
      out.write(evaluation);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static LearnerCheckpoint decode(byte[] data) {
    try (var in = new DataInputStream(new ByteArrayInputStream(data))) {
      if (in.readInt() != MAGIC) {
        throw new IllegalArgumentException("not a learner checkpoint (bad magic)");
      }
      short version = in.readShort();
      if (version != 1 && version != VERSION) {
        throw new IllegalArgumentException(
            "learner checkpoint version " + version + " is not supported (reads " + VERSION + ")");
      }
      long seq = in.readLong();
      long newest = in.readLong();
      long lastSnapshot = in.readLong();
      Map<String, Long> rejected = readMap(in);
      Map<String, Long> offsets = readMap(in);
      byte[] state = new byte[in.readInt()];
      in.readFully(state);
      byte[] evaluation = new byte[0];
      if (version >= 2) {
        evaluation = new byte[in.readInt()];
        in.readFully(evaluation);
      }
      return new LearnerCheckpoint(state, seq, rejected, newest, lastSnapshot, offsets, evaluation);
    } catch (IOException e) {
      throw new IllegalArgumentException("corrupt learner checkpoint: " + e.getMessage(), e);
    }
  }

  private static void writeMap(DataOutputStream out, Map<String, Long> map) throws IOException {
    out.writeInt(map.size());
    for (var e : new TreeMap<>(map).entrySet()) {
      out.writeUTF(e.getKey());
      out.writeLong(e.getValue());
    }
  }

  private static Map<String, Long> readMap(DataInputStream in) throws IOException {
    int n = in.readInt();
    Map<String, Long> map = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      map.put(in.readUTF(), in.readLong());
    }
    return map;
  }
}
