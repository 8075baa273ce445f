package io.mtlstream.serve;

import io.mtlstream.snapshot.Snapshot;
import io.mtlstream.snapshot.SnapshotManifest;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.SnapshotModel;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded snapshot as a serving process sees it: an immutable view of its manifest (model id,
 * step, task weights, created and newest-event times), its SHA-256 (the served version), and the
 * {@link SnapshotModel} that predicts with its parameters.
 *
 * <p>Lifetime: the model is reference counted. Its owner (the {@link SnapshotSubscriber}) holds one
 * reference until it {@linkplain #retire() retires} the view because a newer snapshot replaced it;
 * every {@link Lease} holds another. The native model is closed when the last reference goes, so a
 * prediction that leased the model before a swap finishes on it, and nothing predicts on a closed
 * model. Predict through {@link #predict}/{@link #predictAll} (one lease per call) or hold a {@link
 * Lease} across several calls that must see the same model.
 *
 * <p>Thread-safe: the metadata is immutable; leases and predictions may come from any thread.
 */
public final class ServedModel {

  private final SnapshotManifest manifest;
  private final String sha256;
  private final SnapshotModel model;
  private final long loadedAtMillis;
  private final AtomicInteger references = new AtomicInteger(1);
  private final AtomicBoolean retired = new AtomicBoolean();

  private ServedModel(
      SnapshotManifest manifest, String sha256, SnapshotModel model, long loadedAtMillis) {
    this.manifest = Objects.requireNonNull(manifest, "manifest");
    this.sha256 = Objects.requireNonNull(sha256, "sha256");
    this.model = Objects.requireNonNull(model, "model");
    this.loadedAtMillis = loadedAtMillis;
  }

  /**
   * Builds the network of a verified snapshot.
   *
   * @param device {@code cpu}, {@code auto}, {@code gpu} or {@code gpu:N}
   */
  static ServedModel load(Snapshot snapshot, String device, long loadedAtMillis) {
    SnapshotModel model =
        SnapshotModel.load(snapshot.manifest().model(), snapshot.parameterView(), device);
    return new ServedModel(snapshot.manifest(), snapshot.sha256Hex(), model, loadedAtMillis);
  }

  public String modelId() {
    return manifest.modelId();
  }

  /** Accepted training steps of the snapshot. */
  public long step() {
    return manifest.step();
  }

  /** Task → balancer weight, in task order. */
  public Map<String, Double> taskWeights() {
    return manifest.taskWeights();
  }

  /** When the learner wrote the snapshot (epoch millis, its wall clock). */
  public long createdAtMillis() {
    return manifest.createdAtMillis();
  }

  /** Event time of the newest event the snapshot was trained on (epoch millis), -1 if none. */
  public long newestEventTimestamp() {
    return manifest.newestEventTimestamp();
  }

  /** Lower-case hex SHA-256 of the snapshot bytes: the served version. */
  public String sha256() {
    return sha256;
  }

  /** When this process loaded it (epoch millis). */
  public long loadedAtMillis() {
    return loadedAtMillis;
  }

  public ModelSpec spec() {
    return manifest.model();
  }

  public SnapshotManifest manifest() {
    return manifest;
  }

  /**
   * Pins the model until the lease is closed.
   *
   * @return empty if this view was retired and its model already closed: ask the source for its
   *     current model again
   */
  public Optional<Lease> tryLease() {
    for (; ; ) {
      int n = references.get();
      if (n == 0) {
        return Optional.empty();
      }
      if (references.compareAndSet(n, n + 1)) {
        return Optional.of(new Lease());
      }
    }
  }

  /**
   * One task's outputs, under a lease for the call; see {@link SnapshotModel#predict}.
   *
   * @throws IllegalStateException if this view was retired and closed meanwhile
   */
  public float[] predict(int task, float[] features, int rows) {
    try (Lease lease = lease()) {
      return lease.model().predict(task, features, rows);
    }
  }

  /** Every task's outputs, under a lease for the call; see {@link SnapshotModel#predictAll}. */
  public float[][] predictAll(float[] features, int rows) {
    try (Lease lease = lease()) {
      return lease.model().predictAll(features, rows);
    }
  }

  /** Whether the owner has let go of this view (a newer snapshot replaced it, or it closed). */
  public boolean isRetired() {
    return retired.get();
  }

  /** Drops the owner's reference; the model closes now or when the last lease closes. */
  void retire() {
    if (retired.compareAndSet(false, true)) {
      release();
    }
  }

  private Lease lease() {
    return tryLease()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "model '" + modelId() + "' step " + step() + " was replaced and closed"));
  }

  private void release() {
    if (references.decrementAndGet() == 0) {
      model.close();
    }
  }

  @Override
  public String toString() {
    return "ServedModel(" + modelId() + ", step " + step() + ", sha256 " + sha256 + ")";
  }

  /**
   * A pin on a served model: the model stays open until {@link #close()}. Close it from any thread,
   * once; further closes do nothing.
   */
  public final class Lease implements AutoCloseable {
    private final AtomicBoolean closed = new AtomicBoolean();

    private Lease() {}

    public ServedModel served() {
      return ServedModel.this;
    }

    /** The model; valid until this lease is closed. */
    public SnapshotModel model() {
      return model;
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        release();
      }
    }
  }
}
