package io.mtlstream.snapshot;

import static io.mtlstream.snapshot.SnapshotFixtures.SMALL;
import static io.mtlstream.snapshot.SnapshotFixtures.handBuilt;
import static io.mtlstream.snapshot.SnapshotFixtures.manifest;
import static io.mtlstream.snapshot.SnapshotFixtures.manifestJson;
import static io.mtlstream.snapshot.SnapshotFixtures.parameterCount;
import static io.mtlstream.snapshot.SnapshotFixtures.parameters;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mtlstream.train.Activation;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.TaskSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotCodecTest {

  private final SnapshotManifest manifest = manifest(SMALL);
  private final float[] params = parameters(parameterCount(SMALL), 7);
  private final byte[] encoded = SnapshotCodec.encode(manifest, params);

  @Test
  void shouldRoundTripManifestAndParametersBitIdentically() {
    Snapshot snapshot = SnapshotCodec.decode(encoded);

    assertThat(snapshot.manifest()).isEqualTo(manifest);
    assertThat(rawBits(snapshot.parameters())).isEqualTo(rawBits(params));
    assertThat(Float.floatToRawIntBits(snapshot.parameters()[0])).isEqualTo(0x80000000); // -0.0
    assertThat(SnapshotCodec.encode(snapshot.manifest(), snapshot.parameters())).isEqualTo(encoded);
  }

  @Test
  void shouldIdentifyTheSnapshotByTheSha256OfItsBytes() {
    byte[] trailer = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);

    assertThat(trailer).isEqualTo(SnapshotFixtures.sha256(encoded, encoded.length - 32));
    assertThat(SnapshotCodec.decode(encoded).sha256Hex())
        .isEqualTo(HexFormat.of().formatHex(trailer));
  }

  @Test
  void shouldLayOutBytesAsDocumented() {
    ByteBuffer buf = ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN);
    int manifestLength = buf.getInt(6);
    int parametersOffset = 10 + manifestLength + 4;

    assertThat(new String(encoded, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("MTSN");
    assertThat(buf.getShort(4)).isEqualTo((short) SnapshotCodec.FORMAT_VERSION);
    assertThat(new String(encoded, 10, manifestLength, StandardCharsets.UTF_8).strip())
        .isEqualTo(ManifestJson.toJson(manifest).toString());
    assertThat(buf.getInt(10 + manifestLength)).isEqualTo(params.length);
    assertThat(parametersOffset % 4).as("parameters 4-byte aligned").isZero();
    assertThat(buf.getFloat(parametersOffset + 4 * 20)).isEqualTo(params[20]);
    assertThat(encoded).hasSize(parametersOffset + 4 * params.length + 32);
  }

  @Test
  void shouldRoundTripAThirtyMegabyteModel() {
    ModelSpec large =
        new ModelSpec(
            1000, new int[] {2500, 2000}, Activation.TANH, List.of(TaskSpec.binary("click", 64)));
    float[] big = parameters(parameterCount(large), 11);
    assertThat(4L * big.length).isGreaterThan(30_000_000L);

    byte[] bytes = SnapshotCodec.encode(manifest(large), big);
    Snapshot decoded = SnapshotCodec.decode(bytes);

    assertThat(Arrays.equals(rawBits(decoded.parameters()), rawBits(big))).isTrue();
    assertThat(decoded.manifest().parameterCount()).isEqualTo(big.length);
  }

  @Test
  void shouldReadTheManifestAloneAfterVerifyingTheChecksum() {
    assertThat(SnapshotCodec.readManifest(encoded)).isEqualTo(manifest);
  }

  @Test
  void shouldIgnoreUnknownManifestFieldsWithinAVersion() {
    var json = manifestJson(SMALL).put("quantization", "none");
    json.putObject("lineage").put("parent", "abc");

    assertThat(SnapshotCodec.decode(handBuilt(1, json, params)).manifest()).isEqualTo(manifest);
  }

  @Test
  void shouldRefuseToEncodeParametersThatDoNotMatchTheManifest() {
    assertThatThrownBy(() -> SnapshotCodec.encode(manifest, new float[params.length - 1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "declares " + params.length + " parameters, got " + (params.length - 1));
  }

  private static int[] rawBits(float[] values) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return bits;
  }
}
