package io.mtlstream.snapshot;

import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.TaskSpec;
import io.mtlstream.train.nn.ParameterLayout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a serving process needs besides the parameters: which network to build, which model and
 * training position the parameters belong to, and how fresh they are. Immutable and thread-safe;
 * maps are unmodifiable copies with a deterministic order (task order; offsets by topic, then
 * partition). See {@code docs/SNAPSHOT_FORMAT.md} for the JSON form.
 *
 * @param formatVersion snapshot format version the manifest belongs to (≥ 1)
 * @param modelId model id, also the record key on the snapshot topic
 * @param model the architecture the parameters fit
 * @param tasks task names in index order; must equal the model's
 * @param taskWeights task → balancer weight w_i (finite, ≥ 0), one entry per task
 * @param step accepted training steps so far
 * @param trainedEvents task → events trained so far, one entry per task
 * @param inputOffsets {@code "topic-partition"} → next offset to consume
 * @param createdAtMillis wall-clock creation time (epoch millis); informational only
 * @param newestEventTimestamp event time of the newest trained event (epoch millis), -1 if none
 * @param parameterCount floats in the parameter block; must equal the model's parameter count
 * @param balancer name of the loss balancer that produced the weights
 */
public record SnapshotManifest(
    int formatVersion,
    String modelId,
    ModelSpec model,
    List<String> tasks,
    Map<String, Double> taskWeights,
    long step,
    Map<String, Long> trainedEvents,
    Map<String, Long> inputOffsets,
    long createdAtMillis,
    long newestEventTimestamp,
    int parameterCount,
    String balancer) {

  public SnapshotManifest {
    require(formatVersion >= 1, "formatVersion must be >= 1, got " + formatVersion);
    Objects.requireNonNull(modelId, "modelId");
    require(
        !modelId.isBlank()
            && modelId.length() <= 255
            && modelId.chars().noneMatch(Character::isISOControl),
        "modelId must be 1-255 printable characters, got '" + modelId + "'");
    Objects.requireNonNull(model, "model");
    tasks = List.copyOf(tasks);
    List<String> specTasks = model.tasks().stream().map(TaskSpec::name).toList();
    require(tasks.equals(specTasks), "tasks " + tasks + " differ from the model's " + specTasks);
    taskWeights = ManifestMaps.byTask(taskWeights, tasks, "taskWeights");
    taskWeights.forEach(
        (t, w) -> require(Double.isFinite(w) && w >= 0, "weight of '" + t + "' is " + w));
    require(step >= 0, "step must be >= 0, got " + step);
    trainedEvents = ManifestMaps.byTask(trainedEvents, tasks, "trainedEvents");
    trainedEvents.forEach((t, n) -> require(n >= 0, "trainedEvents of '" + t + "' is " + n));
    inputOffsets = ManifestMaps.sortedOffsets(inputOffsets);
    require(createdAtMillis >= 0, "createdAtMillis must be >= 0, got " + createdAtMillis);
    require(
        newestEventTimestamp >= -1,
        "newestEventTimestamp must be >= -1 (none), got " + newestEventTimestamp);
    int expected = new ParameterLayout(model).size();
    require(
        parameterCount == expected,
        "parameterCount " + parameterCount + " does not fit the model, which has " + expected);
    Objects.requireNonNull(balancer, "balancer");
    require(!balancer.isBlank(), "balancer must not be blank");
  }

  /** A builder whose defaults are the current format version, no offsets and no event time. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a manifest from per-task arrays in index order, as the learner holds them. */
  public static final class Builder {
    private int formatVersion = SnapshotCodec.FORMAT_VERSION;
    private String modelId;
    private ModelSpec model;
    private double[] taskWeights;
    private long step = -1;
    private long[] trainedEvents;
    private Map<String, Long> inputOffsets = Map.of();
    private long createdAtMillis = -1;
    private long newestEventTimestamp = -1;
    private String balancer;

    private Builder() {}

    public Builder setModelId(String modelId) {
      this.modelId = modelId;
      return this;
    }

    public Builder setModel(ModelSpec model) {
      this.model = model;
      return this;
    }

    public Builder setBalancer(String balancer) {
      this.balancer = balancer;
      return this;
    }

    public Builder setTaskWeights(double... weightsByTask) {
      this.taskWeights = weightsByTask.clone();
      return this;
    }

    public Builder setStep(long step) {
      this.step = step;
      return this;
    }

    public Builder setCreatedAtMillis(long createdAtMillis) {
      this.createdAtMillis = createdAtMillis;
      return this;
    }

    /** Events trained per task; defaults to zeros. */
    public Builder optTrainedEvents(long... eventsByTask) {
      this.trainedEvents = eventsByTask.clone();
      return this;
    }

    public Builder optInputOffsets(Map<String, Long> inputOffsets) {
      this.inputOffsets = Map.copyOf(inputOffsets);
      return this;
    }

    public Builder optNewestEventTimestamp(long newestEventTimestamp) {
      this.newestEventTimestamp = newestEventTimestamp;
      return this;
    }

    /** For tests and migrations only; writers use the codec's current version. */
    public Builder optFormatVersion(int formatVersion) {
      this.formatVersion = formatVersion;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the missing or invalid field
     */
    public SnapshotManifest build() {
      require(modelId != null, "setModelId is required");
      require(model != null, "setModel is required");
      require(balancer != null, "setBalancer is required");
      require(taskWeights != null, "setTaskWeights is required");
      require(step >= 0, "setStep is required (>= 0)");
      require(createdAtMillis >= 0, "setCreatedAtMillis is required (>= 0)");
      List<String> names = model.tasks().stream().map(TaskSpec::name).toList();
      long[] events = trainedEvents == null ? new long[names.size()] : trainedEvents;
      require(
          taskWeights.length == names.size() && events.length == names.size(),
          "per-task arrays need " + names.size() + " entries (tasks " + names + ")");
      var weights = new LinkedHashMap<String, Double>();
      var trained = new LinkedHashMap<String, Long>();
      for (int i = 0; i < names.size(); i++) {
        weights.put(names.get(i), taskWeights[i]);
        trained.put(names.get(i), events[i]);
      }
      return new SnapshotManifest(
          formatVersion,
          modelId,
          model,
          names,
          weights,
          step,
          trained,
          inputOffsets,
          createdAtMillis,
          newestEventTimestamp,
          new ParameterLayout(model).size(),
          balancer);
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("snapshot manifest: " + message);
    }
  }
}
