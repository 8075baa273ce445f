package io.mtlstream.serve;

/**
 * Hears what a {@link SnapshotSubscriber} does with the snapshots it reads. Called on the
 * subscriber's thread, in order: keep it short and do not block; an exception is logged and
 * otherwise ignored. Every method has an empty default.
 */
public interface SnapshotListener {

  /**
   * A verified snapshot is now served.
   *
   * @param current the model now served
   * @param previous the model it replaced, or null; already retired: read its metadata only
   */
  default void onLoaded(ServedModel current, ServedModel previous) {}

  /**
   * A snapshot was rejected; the previous model (if any) is still served.
   *
   * @param modelId the record key
   * @param reason a bounded tag: a {@link io.mtlstream.snapshot.SnapshotFormatException.Reason} tag
   *     such as {@code checksum_mismatch}, or {@code model_id_mismatch} or {@code load_failed}
   * @param message what was wrong, for logs
   */
  default void onRejected(String modelId, String reason, String message) {}

  /** A tombstone deleted the model: nothing is served under its id any more. */
  default void onRemoved(String modelId) {}
}
