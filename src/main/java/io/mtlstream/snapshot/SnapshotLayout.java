package io.mtlstream.snapshot;

import io.mtlstream.snapshot.SnapshotFormatException.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Where the parts of an encoded snapshot are, and the checks that find them: magic, version,
 * checksum, then structure — in that order, so that a corrupt byte is reported as corruption rather
 * than as whatever the corrupt byte happens to look like, and no length is trusted before the
 * checksum holds. Stateless and thread-safe.
 */
final class SnapshotLayout {

  static final int VERSION_OFFSET = 4;
  static final int MANIFEST_LENGTH_OFFSET = 6;
  static final int MANIFEST_OFFSET = 10;
  static final int DIGEST_BYTES = 32;
  static final int MIN_SIZE = MANIFEST_OFFSET + 4 + DIGEST_BYTES;

  private static final byte[] MAGIC = "MTSN".getBytes(StandardCharsets.US_ASCII);

  private SnapshotLayout() {}

  static byte[] magic() {
    return MAGIC.clone();
  }

  /** A verified snapshot's manifest length, parameter count and digest. */
  record Located(int manifestLength, int parameterCount, String sha256Hex) {
    int parametersOffset() {
      return MANIFEST_OFFSET + manifestLength + 4;
    }
  }

  static Located verify(byte[] data) {
    Objects.requireNonNull(data, "snapshot bytes");
    if (!Arrays.equals(data, 0, Math.min(data.length, 4), MAGIC, 0, Math.min(data.length, 4))) {
      throw new SnapshotFormatException(
          Reason.BAD_MAGIC,
          "not an mtlstream snapshot: expected magic 'MTSN', found "
              + HexFormat.ofDelimiter(" ").formatHex(data, 0, Math.min(data.length, 4)));
    }
    ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    if (data.length >= MANIFEST_LENGTH_OFFSET) {
      int version = Short.toUnsignedInt(buf.getShort(VERSION_OFFSET));
      if (version != SnapshotCodec.FORMAT_VERSION) {
        throw new SnapshotFormatException(
            Reason.UNSUPPORTED_VERSION,
            "snapshot format version "
                + version
                + " is not supported: this build reads version "
                + SnapshotCodec.FORMAT_VERSION);
      }
    }
    if (data.length < MIN_SIZE) {
      throw new SnapshotFormatException(
          Reason.TRUNCATED,
          "snapshot truncated: " + data.length + " bytes, a snapshot has at least " + MIN_SIZE);
    }
    int body = data.length - DIGEST_BYTES;
    MessageDigest sha = sha256();
    sha.update(data, 0, body);
    byte[] actual = sha.digest();
    if (!MessageDigest.isEqual(actual, Arrays.copyOfRange(data, body, data.length))) {
      throw checksumMismatch(buf, data, actual);
    }
    return structure(buf, data.length, HexFormat.of().formatHex(actual));
  }

  /** The checksum held, so a bad length here is a writer bug, never a corrupt byte. */
  private static Located structure(ByteBuffer buf, int size, String sha256Hex) {
    int manifestLength = buf.getInt(MANIFEST_LENGTH_OFFSET);
    if (manifestLength < 0 || manifestLength > size - MIN_SIZE) {
      throw new SnapshotFormatException(
          Reason.MALFORMED,
          "snapshot manifest length " + manifestLength + " does not fit its " + size + " bytes");
    }
    int count = buf.getInt(MANIFEST_OFFSET + manifestLength);
    long declared = MIN_SIZE + (long) manifestLength + 4L * count;
    if (count < 0 || declared != size) {
      throw new SnapshotFormatException(
          Reason.MALFORMED,
          "snapshot parameter count " + count + " implies " + declared + " bytes, found " + size);
    }
    return new Located(manifestLength, count, sha256Hex);
  }

  private static SnapshotFormatException checksumMismatch(
      ByteBuffer buf, byte[] data, byte[] actual) {
    HexFormat hex = HexFormat.of();
    String detail =
        "checksum mismatch: stored SHA-256 "
            + hex.formatHex(data, data.length - DIGEST_BYTES, data.length)
            + ", computed "
            + hex.formatHex(actual);
    long declared = declaredSize(buf, data.length);
    if (declared > data.length) {
      return new SnapshotFormatException(
          Reason.TRUNCATED,
          "snapshot truncated: its header describes "
              + declared
              + " bytes but only "
              + data.length
              + " are present ("
              + detail
              + ")");
    }
    return new SnapshotFormatException(
        Reason.CHECKSUM_MISMATCH, "snapshot " + detail + " (" + data.length + " bytes)");
  }

  /** The size the (unverified) header claims, or -1 if it cannot even say. */
  private static long declaredSize(ByteBuffer buf, int size) {
    long manifestLength = buf.getInt(MANIFEST_LENGTH_OFFSET);
    long countOffset = MANIFEST_OFFSET + manifestLength;
    if (manifestLength < 0) {
      return -1;
    }
    if (countOffset + 4 > size) {
      return countOffset + 4 + DIGEST_BYTES;
    }
    int count = buf.getInt((int) countOffset);
    return count < 0 ? -1 : MIN_SIZE + manifestLength + 4L * count;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
