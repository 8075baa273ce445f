package io.mtlstream.serve;

import java.util.Optional;

/**
 * Where a server finds the models it serves. {@link SnapshotSubscriber} is the implementation that
 * follows the snapshot topic. Implementations are thread-safe: requests call them concurrently.
 */
public interface ModelSource {

  /** The model a request without a {@code "model"} field means. */
  String defaultModelId();

  /**
   * Whether requests for this model id are expected to be served (a configured model, loaded or not
   * yet); false means the id is unknown here.
   */
  boolean serves(String modelId);

  /** The model currently served under this id, if one is loaded. */
  Optional<ServedModel> current(String modelId);

  /**
   * Pins the current model of this id for the caller: it stays open until the lease is closed, even
   * if a newer snapshot replaces it meanwhile.
   *
   * @return empty if no model of this id is loaded
   */
  default Optional<ServedModel.Lease> acquire(String modelId) {
    for (; ; ) {
      Optional<ServedModel> served = current(modelId);
      if (served.isEmpty()) {
        return Optional.empty();
      }
      Optional<ServedModel.Lease> lease = served.get().tryLease();
      if (lease.isPresent()) {
        return lease;
      }
      // Replaced and closed between the two calls: the source holds a newer one (or none) now.
    }
  }
}
