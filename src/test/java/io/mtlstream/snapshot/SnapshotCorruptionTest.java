package io.mtlstream.snapshot;

import static io.mtlstream.snapshot.SnapshotFixtures.SMALL;
import static io.mtlstream.snapshot.SnapshotFixtures.handBuilt;
import static io.mtlstream.snapshot.SnapshotFixtures.manifest;
import static io.mtlstream.snapshot.SnapshotFixtures.manifestJson;
import static io.mtlstream.snapshot.SnapshotFixtures.parameterCount;
import static io.mtlstream.snapshot.SnapshotFixtures.parameters;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.mtlstream.snapshot.SnapshotFormatException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way a snapshot can be bad is reported with its reason and a message saying what. */
class SnapshotCorruptionTest {

  private final SnapshotManifest manifest = manifest(SMALL);
  private final float[] params = parameters(parameterCount(SMALL), 7);
  private final byte[] encoded = SnapshotCodec.encode(manifest, params);

  @Test
  void shouldReportAFlippedByteAnywhere() {
    for (int i = 0; i < encoded.length; i++) {
      byte[] corrupt = encoded.clone();
      corrupt[i] ^= 0x01;
      SnapshotFormatException e =
          catchThrowableOfType(SnapshotFormatException.class, () -> SnapshotCodec.decode(corrupt));

      assertThat(e).as("flipped byte %d", i).isNotNull();
      if (i < 4) {
        assertThat(e.reason()).isEqualTo(Reason.BAD_MAGIC);
      } else if (i < 6) {
        assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_VERSION);
      } else {
        // A flipped length byte may make the header claim more bytes than there are.
        assertThat(e.reason()).isIn(Reason.CHECKSUM_MISMATCH, Reason.TRUNCATED);
        assertThat(e).as("flipped byte %d", i).hasMessageContaining("checksum mismatch");
      }
    }
  }

  @Test
  void shouldNameStoredAndComputedDigestsOnChecksumMismatch() {
    byte[] corrupt = encoded.clone();
    corrupt[encoded.length - 100] ^= 0x40;
    String stored = HexFormat.of().formatHex(encoded, encoded.length - 32, encoded.length);

    assertThatThrownBy(() -> SnapshotCodec.decode(corrupt))
        .isInstanceOf(SnapshotFormatException.class)
        .hasMessageContaining("stored SHA-256 " + stored)
        .hasMessageMatching("(?s).*computed [0-9a-f]{64}.*");
    assertThatThrownBy(() -> SnapshotCodec.readManifest(corrupt))
        .hasMessageContaining("checksum mismatch");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 3, 5, 20, 45, 400, -100, -1})
  void shouldRejectTruncatedInputAsTruncated(int cut) {
    int length = cut >= 0 ? cut : encoded.length + cut;
    byte[] truncated = Arrays.copyOf(encoded, length);

    SnapshotFormatException e =
        catchThrowableOfType(SnapshotFormatException.class, () -> SnapshotCodec.decode(truncated));
    assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
    assertThat(e).hasMessageStartingWith("snapshot truncated: ").hasMessageContaining(" " + length);
  }

  @Test
  void shouldRejectAnUnknownVersionNamingFoundAndSupported() {
    byte[] future = handBuilt(2, manifestJson(SMALL), params);

    assertThatThrownBy(() -> SnapshotCodec.decode(future))
        .isInstanceOfSatisfying(
            SnapshotFormatException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_VERSION))
        .hasMessage("snapshot format version 2 is not supported: this build reads version 1");
    assertThatThrownBy(() -> SnapshotCodec.readManifest(future)).hasMessageContaining("version 2");
  }

  @Test
  void shouldRejectBytesWithoutTheMagic() {
    byte[] learnerState = {0x4D, 0x54, 0x4C, 0x53, 0, 1, 0, 0, 0, 0};
    byte[] json = "{\"formatVersion\":1}".getBytes(StandardCharsets.UTF_8);

    for (byte[] bytes : List.of(learnerState, json)) {
      assertThatThrownBy(() -> SnapshotCodec.decode(bytes))
          .isInstanceOfSatisfying(
              SnapshotFormatException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.BAD_MAGIC))
          .hasMessageStartingWith("not an mtlstream snapshot: expected magic 'MTSN'");
    }
  }

  @Test
  void shouldRejectAParameterCountThatDoesNotFitTheModel() {
    int n = params.length;
    var json = manifestJson(SMALL).put("parameterCount", n + 1);
    byte[] wrongManifest = handBuilt(1, json, parameters(n + 1, 3));
    byte[] wrongBlock = handBuilt(1, manifestJson(SMALL), parameters(n - 1, 3));

    assertThatThrownBy(() -> SnapshotCodec.decode(wrongManifest))
        .isInstanceOfSatisfying(
            SnapshotFormatException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.PARAMETER_COUNT_MISMATCH))
        .hasMessageContaining("declares " + (n + 1) + " parameters")
        .hasMessageContaining("has " + n);
    assertThatThrownBy(() -> SnapshotCodec.decode(wrongBlock))
        .isInstanceOfSatisfying(
            SnapshotFormatException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.PARAMETER_COUNT_MISMATCH))
        .hasMessageContaining("holds " + (n - 1) + " parameters");
  }

  @Test
  void shouldRejectAnInvalidManifestUnderAnIntactChecksumAsMalformed() {
    var missing = manifestJson(SMALL);
    missing.remove("step");
    var badType = manifestJson(SMALL).put("step", "many");

    assertThatThrownBy(() -> SnapshotCodec.decode(handBuilt(1, missing, params)))
        .isInstanceOfSatisfying(
            SnapshotFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessageContaining("field 'step' is missing");
    assertThatThrownBy(() -> SnapshotCodec.decode(handBuilt(1, badType, params)))
        .hasMessageContaining("'step' must be a 64-bit integer");
  }
}
