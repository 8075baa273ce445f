package io.mtlstream.snapshot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mtlstream.train.Activation;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.TaskSpec;
import io.mtlstream.train.nn.ParameterLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Models, manifests and hand-built snapshot bytes for the snapshot tests. */
final class SnapshotFixtures {

  static final ModelSpec SMALL =
      new ModelSpec(
          4,
          new int[] {8, 6},
          Activation.RELU,
          List.of(
              TaskSpec.regression("ctr.value", 2, 4),
              TaskSpec.binary("click"),
              TaskSpec.multiclass("category", 3, 5)));

  private SnapshotFixtures() {}

  static SnapshotManifest manifest(ModelSpec spec) {
    int tasks = spec.taskCount();
    double[] weights = new double[tasks];
    long[] events = new long[tasks];
    for (int i = 0; i < tasks; i++) {
      weights[i] = 0.5 + i * 0.25;
      events[i] = 1000L * (i + 1);
    }
    return SnapshotManifest.builder()
        .setModelId("default")
        .setModel(spec)
        .setBalancer("gradnorm")
        .setTaskWeights(weights)
        .setStep(1234)
        .setCreatedAtMillis(1_760_000_000_000L)
        .optTrainedEvents(events)
        .optNewestEventTimestamp(1_759_999_999_000L)
        .optInputOffsets(Map.of("mtl.model-events-repartition-0", 4567L, "mtl.events.click-1", 89L))
        .build();
  }

  static int parameterCount(ModelSpec spec) {
    return new ParameterLayout(spec).size();
  }

  /** Random floats with the awkward values (signed zeros, extremes, subnormals) up front. */
  static float[] parameters(int count, long seed) {
    float[] special = {
      -0.0f,
      0.0f,
      Float.MIN_VALUE,
      -Float.MIN_VALUE,
      Float.MAX_VALUE,
      -Float.MAX_VALUE,
      Float.MIN_NORMAL,
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY,
      Float.NaN,
      1e-40f
    };
    float[] values = new float[count];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < count; i++) {
      values[i] = i < special.length ? special[i] : (float) random.nextGaussian();
    }
    return values;
  }

  /** The manifest JSON of a valid manifest, for tests that then change a field. */
  static ObjectNode manifestJson(ModelSpec spec) {
    return ManifestJson.toJson(manifest(spec));
  }

  /**
   * Snapshot bytes built independently of the codec, straight from the documented layout, with a
   * valid checksum: lets tests create snapshots the codec refuses to write.
   */
  static byte[] handBuilt(int version, ObjectNode manifest, float[] parameters) {
    byte[] json = manifest.toString().getBytes(StandardCharsets.UTF_8);
    int body = 4 + 2 + 4 + json.length + 4 + 4 * parameters.length;
    ByteBuffer buf = ByteBuffer.allocate(body + 32).order(ByteOrder.LITTLE_ENDIAN);
    buf.put("MTSN".getBytes(StandardCharsets.US_ASCII)).putShort((short) version);
    buf.putInt(json.length).put(json).putInt(parameters.length);
    for (float p : parameters) {
      buf.putFloat(p);
    }
    buf.put(sha256(buf.array(), body));
    return buf.array();
  }

  static byte[] sha256(byte[] data, int length) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(data, 0, length);
      return sha.digest();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
