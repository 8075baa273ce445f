package io.mtlstream.snapshot;

import java.nio.FloatBuffer;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A verified model snapshot: its manifest, its flat parameter vector (layout of {@link
 * io.mtlstream.train.nn.ParameterLayout}) and the SHA-256 of its encoded bytes, which identifies
 * the snapshot (e.g. for logging which model a server swapped in). Immutable and thread-safe: the
 * parameters are copied in and {@link #parameters()} returns a copy; {@link #parameterView()} reads
 * them without copying, which matters for models of hundreds of megabytes.
 *
 * @param manifest the manifest; its parameter count equals the array length
 * @param parameters the parameters
 * @param sha256Hex lower-case hex SHA-256 (64 characters) of the encoded snapshot
 */
public record Snapshot(SnapshotManifest manifest, float[] parameters, String sha256Hex) {

  public Snapshot {
    Objects.requireNonNull(manifest, "manifest");
    parameters = Objects.requireNonNull(parameters, "parameters").clone();
    if (parameters.length != manifest.parameterCount()) {
      throw new IllegalArgumentException(
          "manifest declares "
              + manifest.parameterCount()
              + " parameters, got "
              + parameters.length);
    }
    Objects.requireNonNull(sha256Hex, "sha256Hex");
    if (sha256Hex.length() != 64 || !sha256Hex.chars().allMatch(HexFormat::isHexDigit)) {
      throw new IllegalArgumentException(
          "sha256Hex must be 64 hex digits, got '" + sha256Hex + "'");
    }
  }

  /** A copy of the parameters. */
  @Override
  public float[] parameters() {
    return parameters.clone();
  }

  /** A read-only view of the parameters, without copying; position 0, limit = count. */
  public FloatBuffer parameterView() {
    return FloatBuffer.wrap(parameters).asReadOnlyBuffer();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Snapshot s
        && manifest.equals(s.manifest)
        && java.util.Arrays.equals(parameters, s.parameters)
        && sha256Hex.equals(s.sha256Hex);
  }

  @Override
  public int hashCode() {
    return Objects.hash(manifest, sha256Hex);
  }

  @Override
  public String toString() {
    return "Snapshot("
        + manifest.modelId()
        + ", step "
        + manifest.step()
        + ", sha256 "
        + sha256Hex
        + ")";
  }
}
