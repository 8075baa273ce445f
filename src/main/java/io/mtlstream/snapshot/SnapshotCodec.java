package io.mtlstream.snapshot;

import static io.mtlstream.snapshot.SnapshotLayout.DIGEST_BYTES;
import static io.mtlstream.snapshot.SnapshotLayout.MANIFEST_OFFSET;

import io.mtlstream.snapshot.SnapshotFormatException.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * The snapshot binary format, version 1 (all integers little-endian; see {@code
 * docs/SNAPSHOT_FORMAT.md}):
 *
 * <pre>
 * 0        4  magic "MTSN"               4  2  format version (u16)
 * 6        4  manifest length M          10 M  manifest, UTF-8 JSON (space-padded)
 * 10+M     4  parameter count N          14+M 4N parameters, float32
 * 14+M+4N 32  SHA-256 of all bytes before it
 * </pre>
 *
 * Floats are copied as raw IEEE-754 bits (bit-identical round trip, -0.0 included). Writers pad the
 * manifest with trailing spaces so that the parameters start at a multiple of 4, which lets readers
 * in other languages map them as a float32 array without copying. Readers check, in this order, the
 * magic, the version, the checksum and then the structure, so a corrupt byte is reported as such
 * rather than as whatever the corruption happens to look like. Stateless and thread-safe.
 */
public final class SnapshotCodec {

  public static final int FORMAT_VERSION = 1;

  /** Largest byte[] most JVMs allocate. */
  private static final long MAX_SIZE = Integer.MAX_VALUE - 8;

  private SnapshotCodec() {}

  /**
   * Encodes a snapshot into one array of exactly its final size: the floats are bulk-copied and the
   * digest is computed over that array in place, so a 100 MB model costs one allocation.
   *
   * @throws IllegalArgumentException if the manifest is for another format version or the parameter
   *     count differs from the manifest's, or the snapshot would exceed 2 GiB
   */
  public static byte[] encode(SnapshotManifest manifest, float[] parameters) {
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(parameters, "parameters");
    if (manifest.formatVersion() != FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "this build writes snapshot format version "
              + FORMAT_VERSION
              + ", the manifest says "
              + manifest.formatVersion());
    }
    if (parameters.length != manifest.parameterCount()) {
      throw new IllegalArgumentException(
          "manifest declares "
              + manifest.parameterCount()
              + " parameters, got "
              + parameters.length);
    }
    byte[] json = ManifestJson.toBytes(manifest);
    int padding = Math.floorMod(-(MANIFEST_OFFSET + json.length + 4), 4);
    int manifestLength = json.length + padding;
    long body = MANIFEST_OFFSET + (long) manifestLength + 4 + 4L * parameters.length;
    if (body + DIGEST_BYTES > MAX_SIZE) {
      throw new IllegalArgumentException(
          "a snapshot of " + (body + DIGEST_BYTES) + " bytes does not fit one byte array");
    }
    byte[] out = new byte[(int) body + DIGEST_BYTES];
    ByteBuffer buf = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    buf.put(SnapshotLayout.magic())
        .putShort((short) FORMAT_VERSION)
        .putInt(manifestLength)
        .put(json);
    Arrays.fill(out, buf.position(), buf.position() + padding, (byte) ' ');
    buf.position(buf.position() + padding).putInt(parameters.length);
    buf.asFloatBuffer().put(parameters);
    MessageDigest sha = SnapshotLayout.sha256();
    sha.update(out, 0, (int) body);
    try {
      sha.digest(out, (int) body, DIGEST_BYTES);
    } catch (DigestException e) {
      throw new IllegalStateException("SHA-256 digest does not fit 32 bytes", e);
    }
    return out;
  }

  /**
   * Decodes and verifies a snapshot.
   *
   * @throws SnapshotFormatException if the bytes are not a valid snapshot of a supported version
   */
  public static Snapshot decode(byte[] data) {
    SnapshotLayout.Located layout = SnapshotLayout.verify(data);
    SnapshotManifest manifest = manifest(data, layout);
    float[] parameters = new float[layout.parameterCount()];
    ByteBuffer.wrap(data, layout.parametersOffset(), 4 * layout.parameterCount())
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .get(parameters);
    return new Snapshot(manifest, parameters, layout.sha256Hex());
  }

  /**
   * Verifies the whole snapshot, checksum included, but parses only the manifest: cheap for tools
   * and for deciding whether a snapshot is worth decoding.
   *
   * @throws SnapshotFormatException if the bytes are not a valid snapshot of a supported version
   */
  public static SnapshotManifest readManifest(byte[] data) {
    return manifest(data, SnapshotLayout.verify(data));
  }

  private static SnapshotManifest manifest(byte[] data, SnapshotLayout.Located layout) {
    SnapshotManifest manifest = ManifestJson.parse(data, MANIFEST_OFFSET, layout.manifestLength());
    if (manifest.formatVersion() != FORMAT_VERSION) {
      throw new SnapshotFormatException(
          Reason.MALFORMED,
          "snapshot header says format version "
              + FORMAT_VERSION
              + " but its manifest says "
              + manifest.formatVersion());
    }
    if (manifest.parameterCount() != layout.parameterCount()) {
      throw new SnapshotFormatException(
          Reason.PARAMETER_COUNT_MISMATCH,
          "snapshot holds "
              + layout.parameterCount()
              + " parameters but its manifest (and model) declare "
              + manifest.parameterCount());
    }
    return manifest;
  }
}
