package io.mtlstream.serve;

import io.mtlstream.snapshot.SnapshotCodec;
import io.mtlstream.snapshot.SnapshotManifest;
import io.mtlstream.train.Activation;
import io.mtlstream.train.LearnerSettings;
import io.mtlstream.train.MiniBatch;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.MultiTaskLearner;
import io.mtlstream.train.TaskRows;
import io.mtlstream.train.TaskSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Learners, snapshots and request bodies for the serving tests. */
final class ServeFixtures {

  /** One task of every type; towers of different depths. */
  static final ModelSpec MIXED =
      new ModelSpec(
          8,
          new int[] {16, 12},
          Activation.RELU,
          List.of(
              TaskSpec.regression("price", 2, 6),
              TaskSpec.binary("click"),
              TaskSpec.multiclass("category", 3, 5)));

  static final long CREATED_AT = 1_760_000_000_000L;
  static final long NEWEST_EVENT = 1_759_999_990_000L;

  private ServeFixtures() {}

  static MultiTaskLearner learner(ModelSpec spec) {
    return MultiTaskLearner.create(LearnerSettings.defaults(spec));
  }

  /** Trains {@code steps} random mini-batches with rows of every task. */
  static void train(MultiTaskLearner learner, int steps, SplittableRandom random) {
    ModelSpec spec = learner.spec();
    for (int s = 0; s < steps; s++) {
      List<TaskRows> blocks = new ArrayList<>();
      for (int t = 0; t < spec.taskCount(); t++) {
        TaskSpec task = spec.task(t);
        int rows = 4;
        float[] x = features(random, rows * spec.inputs());
        float[] y = new float[rows * task.labelWidth()];
        for (int i = 0; i < y.length; i++) {
          y[i] =
              switch (task.type()) {
                case REGRESSION -> (float) random.nextGaussian();
                case BINARY -> random.nextInt(2);
                case MULTICLASS -> random.nextInt(task.outputs());
              };
        }
        blocks.add(new TaskRows(t, rows, x, y));
      }
      learner.step(new MiniBatch(blocks));
    }
  }

  static float[] features(SplittableRandom random, int count) {
    float[] x = new float[count];
    for (int i = 0; i < count; i++) {
      x[i] = (float) (random.nextGaussian() * 1.5);
    }
    return x;
  }

  static SnapshotManifest manifest(String modelId, MultiTaskLearner learner) {
    return SnapshotManifest.builder()
        .setModelId(modelId)
        .setModel(learner.spec())
        .setBalancer("gradnorm")
        .setTaskWeights(learner.weights())
        .setStep(learner.steps())
        .setCreatedAtMillis(CREATED_AT)
        .optNewestEventTimestamp(NEWEST_EVENT)
        .build();
  }

  /** The learner's current snapshot, encoded as the learner publishes it. */
  static byte[] snapshot(String modelId, MultiTaskLearner learner) {
    return SnapshotCodec.encode(manifest(modelId, learner), learner.parameters());
  }

  static ServedModel served(String modelId, MultiTaskLearner learner) {
    return ServedModel.load(
        SnapshotCodec.decode(snapshot(modelId, learner)), "cpu", System.currentTimeMillis());
  }

  /** A copy with one parameter byte flipped: the SHA-256 no longer matches. */
  static byte[] corrupted(byte[] snapshot) {
    byte[] out = snapshot.clone();
    out[out.length - 32 - 5] ^= 0x10;
    return out;
  }

  /** A copy claiming another format version, with a valid checksum over the changed header. */
  static byte[] withVersion(byte[] snapshot, int version) {
    byte[] out = snapshot.clone();
    ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putShort(4, (short) version);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(out, 0, out.length - 32);
      System.arraycopy(sha.digest(), 0, out, out.length - 32, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    return out;
  }

  /** {@code [f0,f1,...]} of {@code count} floats from {@code offset}, each exactly. */
  static String jsonArray(float[] values, int offset, int count) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < count; i++) {
      sb.append(i == 0 ? "" : ",").append(values[offset + i]);
    }
    return sb.append(']').toString();
  }

  /** {@code [[row0],[row1],...]}. */
  static String jsonRows(float[] values, int rows, int width) {
    StringBuilder sb = new StringBuilder("[");
    for (int r = 0; r < rows; r++) {
      sb.append(r == 0 ? "" : ",").append(jsonArray(values, r * width, width));
    }
    return sb.append(']').toString();
  }
}
